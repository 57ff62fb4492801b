import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STREAM_KEY_PREFIX } from '../protocol/stream-key.js';
import { generateStreamKey, hashStreamKey, looksLikeStreamKey } from './stream-keys.js';

describe('generateStreamKey', () => {
  it('is wlk_live_ followed by 32 lowercase hex characters', () => {
    const key = generateStreamKey();
    expect(STREAM_KEY_PREFIX).toBe('wlk_live_');
    expect(key).toMatch(/^wlk_live_[0-9a-f]{32}$/);
    expect(key).toHaveLength(41);
  });

  it('never repeats over many generations', () => {
    const keys = Array.from({ length: 10_000 }, () => generateStreamKey());
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((key) => looksLikeStreamKey(key))).toBe(true);
  });

  it('uses every hex digit (random, not a counter or a fixed alphabet subset)', () => {
    const digits = new Set(
      Array.from({ length: 200 }, () => generateStreamKey().slice(STREAM_KEY_PREFIX.length))
        .join('')
        .split(''),
    );
    expect([...digits].sort().join('')).toBe('0123456789abcdef');
  });
});

describe('hashStreamKey', () => {
  it('is the SHA-256 hex of the key', () => {
    const key = 'wlk_live_0123456789abcdef0123456789abcdef';
    expect(hashStreamKey(key)).toBe(createHash('sha256').update(key, 'utf8').digest('hex'));
    expect(hashStreamKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches a known vector', () => {
    // printf '%s' abc | sha256sum
    expect(hashStreamKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('is stable for the same key and differs between keys', () => {
    const key = generateStreamKey();
    expect(hashStreamKey(key)).toBe(hashStreamKey(key));
    expect(hashStreamKey(key)).not.toBe(hashStreamKey(generateStreamKey()));
  });

  it('does not contain the key', () => {
    const key = generateStreamKey();
    const hash = hashStreamKey(key);
    expect(hash).not.toContain(key.slice(STREAM_KEY_PREFIX.length));
  });
});

describe('looksLikeStreamKey', () => {
  it('accepts a generated key', () => {
    expect(looksLikeStreamKey(generateStreamKey())).toBe(true);
  });

  it('accepts a hand-written key of the right shape', () => {
    expect(looksLikeStreamKey('wlk_live_00000000000000000000000000000000')).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['prefix only', 'wlk_live_'],
    ['31 hex', `wlk_live_${'a'.repeat(31)}`],
    ['33 hex', `wlk_live_${'a'.repeat(33)}`],
    ['uppercase hex', `wlk_live_${'A'.repeat(32)}`],
    ['non-hex', `wlk_live_${'g'.repeat(32)}`],
    ['wrong prefix', `wlk_test_${'a'.repeat(32)}`],
    ['no prefix', 'a'.repeat(32)],
    ['leading space', ` wlk_live_${'a'.repeat(32)}`],
    ['trailing newline', `wlk_live_${'a'.repeat(32)}\n`],
    ['a hash', 'a'.repeat(64)],
    ['rtmp path', `live/wlk_live_${'a'.repeat(32)}`],
  ])('refuses %s', (_label, value) => {
    expect(looksLikeStreamKey(value)).toBe(false);
  });
});

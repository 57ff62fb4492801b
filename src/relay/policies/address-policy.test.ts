import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { AddressPolicy } from './address-policy.js';

const secret = generateSecretKey();
const pubkey = getPublicKey(secret);
const sign = (kind: number, tags: string[][]) => finalizeEvent({ kind, created_at: 1_700_000_000, tags, content: '' }, secret);

describe('AddressPolicy', () => {
  const policy = new AddressPolicy({ maxAddressBytes: 16 });

  it('lets d tags and deletion a tags within the bound through, and ignores d tags of other kinds', () => {
    expect(policy.check(sign(30023, [['d', 'x'.repeat(16)]]))).toBeUndefined();
    expect(policy.check(sign(5, [['a', 'x'.repeat(16)]]))).toBeUndefined();
    expect(policy.check(sign(1, [['d', 'x'.repeat(100)]]))).toBeUndefined();
  });

  it('refuses a longer d tag on an addressable event, and a longer a tag on a deletion, with invalid:', () => {
    expect(policy.check(sign(30023, [['d', 'é'.repeat(9)]]))).toBe('invalid: the d tag is longer than 16 bytes');
    expect(policy.check(sign(5, [['a', `30023:${pubkey}:x`]]))).toBe('invalid: an a tag is longer than 16 bytes');
  });
});

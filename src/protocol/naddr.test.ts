import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { liveEventCoordinate, parseCoordinate } from './coordinate.js';
import { decodeLiveEventAddress, encodeLiveEventAddress } from './naddr.js';

const host = getPublicKey(generateSecretKey());
const stream = liveEventCoordinate(host, 'stream-1');

describe('coordinates and naddr', () => {
  it('keeps colons inside the d tag', () => {
    expect(parseCoordinate(`30311:${host}:a:b`)).toEqual({ ok: true, value: { kind: 30311, pubkey: host, identifier: 'a:b' } });
  });

  it('round-trips a live event address with relay hints', () => {
    const naddr = encodeLiveEventAddress(stream, ['wss://live.example']);
    expect(naddr.startsWith('naddr1')).toBe(true);
    expect(decodeLiveEventAddress(`nostr:${naddr}`)).toEqual({ ok: true, value: { coordinate: stream, relays: ['wss://live.example'] } });
  });

  it('refuses garbage, other entity types and other kinds', () => {
    expect(decodeLiveEventAddress('naddr1garbage')).toMatchObject({ ok: false });
    expect(decodeLiveEventAddress(encodeLiveEventAddress({ kind: 30023, pubkey: host, identifier: 'x' }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/kind 30023/),
    });
  });
});

import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { PlaybackTokens } from '../origin/playback-token.js';
import type { NostrEvent } from '../protocol/nostr-event.js';
import { RelayAuth } from './auth.js';
import { OurCoordinates } from './policies/stream-directory.js';
import { StreamAccess } from './private-streams.js';

const SERVICE = 'a'.repeat(64);
const NOW = 1_800_000_000;
const ours = new OurCoordinates(SERVICE);
const tokens = new PlaybackTokens(Buffer.alloc(32, 7), () => NOW);
const auth = new RelayAuth('wss://live.example/', ours, tokens, () => NOW);

function authEvent(overrides: { kind?: number; tags?: string[][]; created_at?: number } = {}): NostrEvent {
  return finalizeEvent(
    {
      kind: overrides.kind ?? 22242,
      created_at: overrides.created_at ?? NOW,
      content: '',
      tags: overrides.tags ?? [
        ['relay', 'wss://live.example/'],
        ['challenge', 'c1'],
      ],
    },
    generateSecretKey(),
  );
}

describe('RelayAuth', () => {
  it('admits the pubkey of an AUTH answering this challenge for this relay, and the streams its tokens open', () => {
    const access = new StreamAccess();
    const token = tokens.issue('s1', 'view', 3600);
    const event = authEvent({
      tags: [
        ['relay', 'wss://live.example'],
        ['challenge', 'c1'],
        ['token', token, ours.coordinate('s1')],
      ],
    });
    expect(auth.admit(event, 'c1', access)).toBeUndefined();
    expect([...access.pubkeys]).toEqual([event.pubkey]);
    expect([...access.tokens]).toEqual([['s1', token]]);
  });

  it.each([
    ['another kind', { kind: 1 }, /^invalid: an AUTH event has kind 22242/],
    ['another challenge', { tags: [['relay', 'wss://live.example/'], ['challenge', 'c2']] }, /^invalid: the challenge tag/],
    ['another relay', { tags: [['relay', 'wss://elsewhere.example/'], ['challenge', 'c1']] }, /^invalid: the relay tag must name this relay \(live\.example\)/],
    ['no relay', { tags: [['challenge', 'c1']] }, /^invalid: the relay tag/],
    ['an old event', { created_at: NOW - 3600 }, /^invalid: created_at is more than ten minutes from now/],
  ])('refuses %s and admits nothing', (_, overrides, message) => {
    const access = new StreamAccess();
    expect(auth.admit(authEvent(overrides), 'c1', access)).toMatch(message);
    expect(access.pubkeys.size + access.tokens.size).toBe(0);
  });

  it('refuses a token for another stream, or for a stream of another service, in the same words', () => {
    const token = tokens.issue('s1', 'view', 3600);
    const answers = [ours.coordinate('s2'), `30311:${'b'.repeat(64)}:s1`].map((coordinate) =>
      auth.admit(authEvent({ tags: [['relay', 'wss://live.example/'], ['challenge', 'c1'], ['token', token, coordinate]] }), 'c1', new StreamAccess()),
    );
    expect(answers[0]).toMatch(/^restricted: a token tag does not open its stream here/);
    expect(answers[1]).toBe(answers[0]);
  });

  it('bounds what one connection may collect', () => {
    const access = new StreamAccess();
    for (let i = 0; i < StreamAccess.MAX_ENTRIES; i += 1) expect(auth.admit(authEvent(), 'c1', access)).toBeUndefined();
    expect(auth.admit(authEvent(), 'c1', access)).toMatch(/^rate-limited: a connection may hold at most 20 authentications/);
  });
});

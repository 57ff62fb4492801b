import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from './coordinate.js';
import type { ReceivedEvent } from './event-template.js';
import { buildReaction, parseReaction } from './reaction.js';

const key = generateSecretKey();
const me = getPublicKey(key);
const host = getPublicKey(generateSecretKey());
const stream = liveEventCoordinate(host, 'stream-1');
const messageId = 'd'.repeat(64);
const received = (kind: number, tags: string[][], content = ''): ReceivedEvent => ({
  id: 'a'.repeat(64),
  pubkey: me,
  created_at: 10,
  kind,
  tags,
  content,
});

describe('kind 7 reactions', () => {
  it('round-trips a reaction to a stream', () => {
    const event = finalizeEvent(buildReaction({ target: { stream, author: host }, emoji: '🔥' }, 10), key);
    expect(event.tags).toEqual([['a', `30311:${host}:stream-1`, ''], ['p', host], ['k', '30311']]);
    expect(parseReaction(event)).toMatchObject({ ok: true, value: { emoji: '🔥', stream, targetAuthor: host } });
  });

  it('round-trips a reaction to a chat message in a stream', () => {
    const event = finalizeEvent(buildReaction({ target: { event: messageId, author: host, stream }, emoji: '+' }, 10), key);
    expect(parseReaction(event)).toMatchObject({ ok: true, value: { emoji: '+', event: messageId, stream } });
  });

  it('reads an empty content as a like and refuses a reaction to nothing', () => {
    expect(parseReaction(received(7, [['e', messageId]]))).toMatchObject({ ok: true, value: { emoji: '+' } });
    expect(parseReaction(received(7, [['p', host]]))).toMatchObject({ ok: false, reason: expect.stringMatching(/e or a tag/) });
  });
});

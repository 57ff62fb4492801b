import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from './coordinate.js';
import type { ReceivedEvent } from './event-template.js';
import { buildLiveChat, MAX_CHAT_LENGTH, parseLiveChat } from './live-chat.js';

const viewerKey = generateSecretKey();
const viewer = getPublicKey(viewerKey);
const service = getPublicKey(generateSecretKey());
const stream = liveEventCoordinate(service, 'stream-1');
const address = `30311:${service}:stream-1`;

const chat = (tags: string[][], content = 'hi'): ReceivedEvent => ({
  id: 'e'.repeat(64),
  pubkey: viewer,
  created_at: 1_700_000_000,
  kind: 1311,
  tags,
  content,
});

describe('kind 1311 live chat', () => {
  it('points at the live event with a root-marked a tag', () => {
    const template = buildLiveChat({ stream, relay: 'wss://live.example', content: 'hello' }, 5);
    expect(template).toEqual({ kind: 1311, created_at: 5, content: 'hello', tags: [['a', address, 'wss://live.example', 'root']] });
  });

  it('round-trips a reply through a signature', () => {
    const parent = 'c'.repeat(64);
    const other = getPublicKey(generateSecretKey());
    const event = finalizeEvent(
      buildLiveChat({ stream, content: 'agreed', replyTo: { id: parent, author: other } }, 1_700_000_000),
      viewerKey,
    );
    expect(event.tags).toEqual([
      ['a', address, '', 'root'],
      ['e', parent, '', 'reply'],
      ['p', other],
    ]);
    expect(parseLiveChat(event)).toEqual({
      ok: true,
      value: { id: event.id, author: viewer, createdAt: 1_700_000_000, stream, content: 'agreed', replyTo: { id: parent, author: other } },
    });
  });

  it('accepts the unmarked a tag other clients write', () => {
    const result = parseLiveChat(chat([['a', address]]));
    expect(result.ok && result.value.stream).toEqual(stream);
  });

  it.each([
    ['no a tag', [], 'hi', /needs an a tag/],
    ['an a tag for another kind', [['a', `30023:${service}:x`]], 'hi', /not a live event/],
    ['a malformed coordinate', [['a', 'nonsense']], 'hi', /coordinate/],
    ['an empty message', [['a', address]], '   ', /empty/],
    ['an oversized message', [['a', address]], 'x'.repeat(MAX_CHAT_LENGTH + 1), /longer than/],
    ['a reply to a non-id', [['a', address], ['e', 'xyz', '', 'reply']], 'hi', /hex id/],
  ])('refuses %s with a reason', (_name, tags, content, reason) => {
    const result = parseLiveChat(chat(tags, content));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('kind 1311 custom emoji (NIP-30)', () => {
  it('carries emoji tags both ways, and leaves them out when there are none', () => {
    const wave = { shortcode: 'wave', url: 'https://example.com/wave.png' };
    const event = finalizeEvent(buildLiveChat({ stream, content: 'hi :wave:', emoji: [wave] }, 1_700_000_000), viewerKey);
    expect(event.tags).toContainEqual(['emoji', 'wave', 'https://example.com/wave.png']);
    const message = parseLiveChat(event);
    expect(message.ok && message.value.emoji).toEqual([wave]);
    const plain = parseLiveChat(chat([['a', address, '', 'root']]));
    expect(plain.ok && 'emoji' in plain.value).toBe(false);
  });
});

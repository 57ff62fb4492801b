import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from './coordinate.js';
import { buildModeration, parseModeration } from './moderation.js';

const hostKey = generateSecretKey();
const host = getPublicKey(hostKey);
const troll = getPublicKey(generateSecretKey());
const stream = liveEventCoordinate(getPublicKey(generateSecretKey()), 'stream-1');

describe('chat moderation events', () => {
  it.each([
    ['a removal', { type: 'remove' as const, messages: ['a'.repeat(64), 'b'.repeat(64)] }, 9005],
    ['a time-out', { type: 'ban' as const, user: troll, until: 1_700_000_600 }, 9001],
    ['a permanent ban', { type: 'ban' as const, user: troll }, 9001],
    ['an unban', { type: 'unban' as const, user: troll }, 9000],
  ])('round-trips %s', (_name, action, kind) => {
    const event = finalizeEvent(buildModeration({ stream, action, reason: 'be nice' }, 1_700_000_000), hostKey);
    expect(event.kind).toBe(kind);
    expect(parseModeration(event)).toEqual({
      ok: true,
      value: { id: event.id, moderator: host, createdAt: 1_700_000_000, stream, action, reason: 'be nice' },
    });
  });

  it.each([
    ['no a tag', 9005, [['e', 'a'.repeat(64)]], /a tag/],
    ['a removal without messages', 9005, [['a', `30311:${host}:x`]], /e tags/],
    ['a ban without a user', 9001, [['a', `30311:${host}:x`]], /p tag/],
    ['a bad until', 9001, [['a', `30311:${host}:x`], ['p', troll], ['until', 'soon']], /until/],
    ['another kind', 1, [], /not a chat moderation/],
  ])('refuses %s', (_name, kind, tags, reason) => {
    const result = parseModeration({ id: 'f'.repeat(64), pubkey: host, created_at: 1, kind, tags, content: '' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from './coordinate.js';
import { KIND } from './kinds.js';
import { buildPresence, parsePresence, presentIn, PRESENCE_WINDOW_SECONDS, type Presence } from './presence.js';

const host = 'a'.repeat(64);
const stream = liveEventCoordinate(host, 'stream-1');
const other = liveEventCoordinate(host, 'stream-2');
const now = 1_800_000_000;

const signed = (template: ReturnType<typeof buildPresence>, author: string, id = 'f'.repeat(64)) => ({ ...template, id, pubkey: author });
const presence = (author: string, createdAt: number, where = stream): Presence => {
  const result = parsePresence(signed(buildPresence({ stream: where }, createdAt), author));
  if (!result.ok) throw new Error(result.reason);
  return result.value;
};

describe('room presence (kind 10312)', () => {
  it('names the live event with a root a tag, expires after the window, and has no content', () => {
    const template = buildPresence({ stream, relay: 'wss://relay.example' }, now);
    expect(template).toEqual({
      kind: KIND.presence,
      created_at: now,
      tags: [
        ['a', `30311:${host}:stream-1`, 'wss://relay.example', 'root'],
        ['expiration', String(now + PRESENCE_WINDOW_SECONDS)],
      ],
      content: '',
    });
  });

  it('reads back what it writes, and audio rooms’ presences with a raised hand', () => {
    const ours = parsePresence(signed(buildPresence({ stream, relay: 'wss://relay.example' }, now), 'b'.repeat(64)));
    expect(ours).toEqual({
      ok: true,
      value: { id: 'f'.repeat(64), author: 'b'.repeat(64), createdAt: now, stream, relay: 'wss://relay.example', handRaised: false, expiresAt: now + PRESENCE_WINDOW_SECONDS },
    });
    const nests = parsePresence({ id: 'e'.repeat(64), pubkey: 'c'.repeat(64), created_at: now, kind: KIND.presence, content: '', tags: [['a', `30312:${host}:room`], ['hand', '1']] });
    expect(nests.ok && nests.value.handRaised).toBe(true);
    expect(nests.ok && nests.value.stream.kind).toBe(30312);
  });

  it('refuses other kinds and presences that name no room', () => {
    expect(parsePresence({ id: 'e'.repeat(64), pubkey: host, created_at: now, kind: KIND.liveChat, content: '', tags: [] }).ok).toBe(false);
    expect(parsePresence({ id: 'e'.repeat(64), pubkey: host, created_at: now, kind: KIND.presence, content: '', tags: [] }).ok).toBe(false);
    expect(parsePresence({ id: 'e'.repeat(64), pubkey: host, created_at: now, kind: KIND.presence, content: '', tags: [['a', 'not-a-coordinate']] }).ok).toBe(false);
  });
});

describe('who is here', () => {
  const alice = '1'.repeat(64);
  const bob = '2'.repeat(64);
  const carol = '3'.repeat(64);

  it('counts each author once, by their newest presence, in a fixed order', () => {
    expect(presentIn(stream, [presence(bob, now - 10), presence(alice, now - 200), presence(bob, now - 130)], now)).toEqual([alice, bob]);
  });

  it('leaves out those whose presence is older than the window or has expired', () => {
    expect(presentIn(stream, [presence(alice, now - PRESENCE_WINDOW_SECONDS), presence(bob, now - 5)], now)).toEqual([bob]);
    const expired = { ...presence(carol, now - 5), expiresAt: now - 1 };
    expect(presentIn(stream, [expired], now)).toEqual([]);
  });

  it('leaves out those who moved to another room since', () => {
    expect(presentIn(stream, [presence(alice, now - 60), presence(alice, now - 5, other), presence(bob, now - 60)], now)).toEqual([bob]);
  });
});

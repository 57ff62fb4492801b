import { describe, expect, it, vi } from 'vitest';
import type { NostrEvent } from '../protocol/nostr-event.js';
import { OurCoordinates, type OurStream } from './policies/stream-directory.js';
import { PrivateStreams, StreamAccess } from './private-streams.js';

const SERVICE = 'a'.repeat(64);
const HOST = 'b'.repeat(64);
const MODERATOR = 'c'.repeat(64);
const ours = new OurCoordinates(SERVICE);
const secret: OurStream = { chatEnabled: true, isPrivate: true, host: HOST, moderators: [MODERATOR] };
const open: OurStream = { ...secret, isPrivate: false };
const streams = new Map([
  ['secret', secret],
  ['open', open],
]);

const chat = (streamIds: string[], id = 'e'.repeat(64)): NostrEvent => ({
  id,
  pubkey: 'd'.repeat(64),
  kind: 1311,
  created_at: 1,
  content: 'hi',
  sig: 'f'.repeat(128),
  tags: streamIds.map((streamId) => ['a', ours.coordinate(streamId)]),
});

function privacy(find = async (id: string) => streams.get(id), valid = new Set(['good'])) {
  const logger = { warn: vi.fn() };
  return { logger, privacy: new PrivateStreams(ours, { find }, { verify: (token) => valid.has(token) }, logger) };
}

const accessWith = (setup: (access: StreamAccess) => void) => {
  const access = new StreamAccess();
  setup(access);
  return access;
};

describe('PrivateStreams', () => {
  it("serves a private stream's events to its token holder, host and moderators only", async () => {
    const { privacy: rule } = privacy();
    const readers = await rule.readers(chat(['secret']));
    expect(readers(undefined)).toBe(false);
    expect(readers(new StreamAccess())).toBe(false);
    expect(readers(accessWith((access) => access.tokens.set('secret', 'good')))).toBe(true);
    expect(readers(accessWith((access) => access.tokens.set('secret', 'expired')))).toBe(false);
    expect(readers(accessWith((access) => access.tokens.set('open', 'good')))).toBe(false);
    expect(readers(accessWith((access) => access.pubkeys.add(HOST)))).toBe(true);
    expect(readers(accessWith((access) => access.pubkeys.add(MODERATOR)))).toBe(true);
  });

  it('serves public streams, unknown streams and other services’ events to everyone', async () => {
    const { privacy: rule } = privacy();
    for (const event of [chat(['open']), chat(['missing']), chat([])]) expect((await rule.readers(event))(undefined)).toBe(true);
  });

  it('needs access to every private stream an event names, not only the first', async () => {
    const { privacy: rule } = privacy();
    const readers = await rule.readers(chat(['open', 'secret']));
    expect(readers(undefined)).toBe(false);
  });

  it('withholds an event from everyone, and says so, when its stream cannot be looked up', async () => {
    const { privacy: rule, logger } = privacy(async () => {
      throw new Error('database down');
    });
    expect((await rule.readers(chat(['open'])))(accessWith((access) => access.pubkeys.add(HOST)))).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(expect.anything(), expect.stringContaining('withheld until the database answers'));
  });

  it('filters a query result, ids included', async () => {
    const { privacy: rule } = privacy();
    const events = [chat(['secret'], '1'.repeat(64)), chat(['open'], '2'.repeat(64))];
    expect((await rule.readable(events, undefined)).map((event) => event.id)).toEqual(['2'.repeat(64)]);
  });
});

import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from './coordinate.js';
import type { ReceivedEvent } from './event-template.js';
import { buildReport, parseReport } from './report.js';

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

describe('kind 1984 reports', () => {
  it('round-trips a report about a message in a stream', () => {
    const event = finalizeEvent(buildReport({ user: host, message: messageId, stream, reason: 'spam', note: 'ads' }, 10), key);
    expect(event.tags).toEqual([['p', host, 'spam'], ['e', messageId, 'spam'], ['a', `30311:${host}:stream-1`]]);
    expect(parseReport(event)).toEqual({
      ok: true,
      value: { id: event.id, reporter: me, createdAt: 10, user: host, message: messageId, stream, reason: 'spam', note: 'ads' },
    });
  });

  it('refuses an unknown reason and a report without a user', () => {
    expect(parseReport(received(1984, [['p', host, 'boring']]))).toMatchObject({ ok: false, reason: expect.stringMatching(/"boring"/) });
    expect(parseReport(received(1984, [['e', messageId, 'spam']]))).toMatchObject({ ok: false, reason: expect.stringMatching(/p tag/) });
  });
});

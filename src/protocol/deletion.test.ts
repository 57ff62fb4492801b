import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from './coordinate.js';
import type { ReceivedEvent } from './event-template.js';
import { buildDeletion, parseDeletion } from './deletion.js';

const key = generateSecretKey();
const me = getPublicKey(key);
const host = getPublicKey(generateSecretKey());
const messageId = 'd'.repeat(64);
const received = (kind: number, tags: string[][], content = ''): ReceivedEvent => ({
  id: 'a'.repeat(64),
  pubkey: me,
  created_at: 10,
  kind,
  tags,
  content,
});

describe('kind 5 deletions', () => {
  it('round-trips a deletion of events and an own coordinate', () => {
    const own = liveEventCoordinate(me, 'mine');
    const event = finalizeEvent(buildDeletion({ events: [messageId], coordinates: [own], kinds: [1311], reason: 'typo' }, 10), key);
    expect(parseDeletion(event)).toMatchObject({ ok: true, value: { events: [messageId], coordinates: [own], kinds: [1311], reason: 'typo' } });
  });

  it('refuses a deletion of another author\'s coordinate and one that names nothing', () => {
    expect(parseDeletion(received(5, [['a', `30311:${host}:x`]]))).toMatchObject({ ok: false, reason: expect.stringMatching(/another author/) });
    expect(parseDeletion(received(5, [['k', '1311']]))).toMatchObject({ ok: false, reason: expect.stringMatching(/names no event/) });
  });
});

import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScratch, type ScratchService } from '../../../testkit/scratch.js';
import { liveEventCoordinate } from '../../protocol/coordinate.js';
import { buildLiveChat } from '../../protocol/live-chat.js';
import { buildModeration, type ModerationAction } from '../../protocol/moderation.js';
import { ChatModeration } from '../moderation/chat-moderation.js';
import { SqlEventStore } from '../store/sql-event-store.js';
import { ModerationPolicy } from './moderation-policy.js';
import { OurCoordinates, type OurStream } from './stream-directory.js';

const NOW = 1_700_000_000;
const SERVICE = getPublicKey(generateSecretKey());
const host = generateSecretKey();
const moderator = generateSecretKey();
const viewer = generateSecretKey();
const troll = generateSecretKey();
const timedOut = generateSecretKey();
const stream = liveEventCoordinate(SERVICE, 'gig');
const gig: OurStream = { chatEnabled: true, isPrivate: false, host: getPublicKey(host), moderators: [getPublicKey(moderator)] };
const ours = new OurCoordinates(SERVICE);
const directory = { find: async (id: string) => (id === 'gig' ? gig : undefined) };
const moderate = (by: Uint8Array, action: ModerationAction, on = stream) => finalizeEvent(buildModeration({ stream: on, action }, NOW), by);
const chat = (by: Uint8Array) => finalizeEvent(buildLiveChat({ stream, content: 'hi' }, NOW), by);

describe('ModerationPolicy', () => {
  let scratch: ScratchService;
  let policy: ModerationPolicy;

  beforeAll(async () => {
    scratch = await openScratch();
    const store = new SqlEventStore(scratch.database.db);
    await store.save(moderate(host, { type: 'ban', user: getPublicKey(troll) }));
    await store.save(moderate(moderator, { type: 'ban', user: getPublicKey(timedOut), until: NOW + 600 }));
    policy = new ModerationPolicy(ours, directory, new ChatModeration(ours, store, directory), () => NOW);
  });
  afterAll(() => scratch.close());

  it('lets the host and a moderator moderate, and a viewer who is not banned chat', async () => {
    expect(await policy.check(moderate(host, { type: 'remove', messages: ['e'.repeat(64)] }))).toBeUndefined();
    expect(await policy.check(moderate(moderator, { type: 'ban', user: getPublicKey(viewer), until: NOW + 60 }))).toBeUndefined();
    expect(await policy.check(chat(viewer))).toBeUndefined();
  });

  it('refuses moderation by anyone else, and on a stream of ours that does not exist, with blocked:', async () => {
    expect(await policy.check(moderate(viewer, { type: 'ban', user: getPublicKey(troll) }))).toBe(
      'blocked: only the host or a moderator of this stream can moderate its chat',
    );
    expect(await policy.check(moderate(host, { type: 'unban', user: getPublicKey(troll) }, liveEventCoordinate(SERVICE, 'gone')))).toBe(
      'blocked: there is no such stream on this service',
    );
  });

  it('refuses chat from a banned or timed-out user with blocked:', async () => {
    expect(await policy.check(chat(troll))).toBe('blocked: the host has banned you from this chat');
    expect(await policy.check(chat(timedOut))).toBe(`blocked: you are timed out of this chat until ${new Date((NOW + 600) * 1000).toISOString()}`);
  });
});

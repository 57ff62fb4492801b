import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScratch, type ScratchService } from '../../../testkit/scratch.js';
import { liveEventCoordinate } from '../../protocol/coordinate.js';
import { buildLiveChat } from '../../protocol/live-chat.js';
import { buildReaction, type ReactionTarget } from '../../protocol/reaction.js';
import { PrivateStreams, StreamAccess } from '../private-streams.js';
import { SqlEventStore } from '../store/sql-event-store.js';
import { PrivateStreamPolicy } from './private-stream-policy.js';
import { OurCoordinates, type OurStream } from './stream-directory.js';

const SERVICE = getPublicKey(generateSecretKey());
const host = generateSecretKey();
const viewer = generateSecretKey();
const secret: OurStream = { chatEnabled: true, isPrivate: true, host: getPublicKey(host), moderators: [] };
const streams = new Map<string, OurStream>([
  ['secret', secret],
  ['open', { ...secret, isPrivate: false }],
]);
const ours = new OurCoordinates(SERVICE);
const chat = (streamId: string, by = viewer) => finalizeEvent(buildLiveChat({ stream: liveEventCoordinate(SERVICE, streamId), content: 'hi' }, 1_700_000_000), by);
const like = (target: ReactionTarget) => finalizeEvent(buildReaction({ target, emoji: '+' }, 1_700_000_000), viewer);
const withToken = () => {
  const access = new StreamAccess();
  access.tokens.set('secret', 'good');
  return access;
};

describe('PrivateStreamPolicy', () => {
  let scratch: ScratchService;
  let policy: PrivateStreamPolicy;
  const hostMessage = chat('secret', host);

  beforeAll(async () => {
    scratch = await openScratch();
    const store = new SqlEventStore(scratch.database.db);
    const privacy = new PrivateStreams(ours, { find: async (id) => streams.get(id) }, { verify: (token) => token === 'good' }, { warn: () => undefined });
    policy = new PrivateStreamPolicy(ours, privacy, store);
    await store.save(hostMessage);
  });
  afterAll(() => scratch.close());

  it('lets a public stream, a private one to its token holder or host, and a reference naming the stream through', async () => {
    expect(await policy.check(chat('open'), {})).toBeUndefined();
    expect(await policy.check(chat('secret'), { access: withToken() })).toBeUndefined();
    expect(await policy.check(chat('secret', host), {})).toBeUndefined();
    const reaction = like({ event: hostMessage.id, author: hostMessage.pubkey, stream: liveEventCoordinate(SERVICE, 'secret') });
    expect(await policy.check(reaction, { access: withToken() })).toBeUndefined();
  });

  it('refuses a private stream without access, and a stream that does not exist, with the same blocked: words', async () => {
    expect(await policy.check(chat('secret'), {})).toBe('blocked: there is no such stream on this service');
    expect(await policy.check(chat('gone'), {})).toBe('blocked: there is no such stream on this service');
  });

  it("refuses a reference to a private stream's event that does not name the stream, with invalid:", async () => {
    const reaction = like({ event: hostMessage.id, author: hostMessage.pubkey });
    expect(await policy.check(reaction, { access: withToken() })).toBe(
      `invalid: event ${hostMessage.id} belongs to a private stream; add the tag ["a","${ours.coordinate('secret')}"] so that only its viewers can read this`,
    );
    expect(await policy.check(reaction, {})).toBe(`invalid: event ${hostMessage.id} cannot be referred to without naming the stream it belongs to`);
  });
});

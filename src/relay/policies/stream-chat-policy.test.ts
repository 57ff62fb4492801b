import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from '../../protocol/coordinate.js';
import { buildLiveChat } from '../../protocol/live-chat.js';
import { StreamChatPolicy } from './stream-chat-policy.js';
import { OurCoordinates, type OurStream } from './stream-directory.js';

const SERVICE = getPublicKey(generateSecretKey());
const viewer = generateSecretKey();
const open: OurStream = { chatEnabled: true, isPrivate: false, host: getPublicKey(generateSecretKey()), moderators: [] };
const streams = new Map<string, OurStream>([
  ['open', open],
  ['quiet', { ...open, chatEnabled: false }],
]);
const policy = new StreamChatPolicy(new OurCoordinates(SERVICE), { find: async (id) => streams.get(id) });
const chat = (pubkey: string, streamId: string) => finalizeEvent(buildLiveChat({ stream: liveEventCoordinate(pubkey, streamId), content: 'hi' }, 1_700_000_000), viewer);

describe('StreamChatPolicy', () => {
  it("lets chat through to our streams with chat on, and to other services' streams", async () => {
    expect(await policy.check(chat(SERVICE, 'open'))).toBeUndefined();
    expect(await policy.check(chat(getPublicKey(generateSecretKey()), 'quiet'))).toBeUndefined();
  });

  it('refuses chat to a stream with chat off, or to one of ours that does not exist, with blocked:', async () => {
    expect(await policy.check(chat(SERVICE, 'quiet'))).toBe('blocked: the host has turned chat off for this stream');
    expect(await policy.check(chat(SERVICE, 'gone'))).toBe('blocked: there is no such stream on this service');
  });
});

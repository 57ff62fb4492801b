import { KIND } from '../../protocol/kinds.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { Policy } from './policy.js';
import { NO_SUCH_STREAM, type OurCoordinates, type StreamDirectory } from './stream-directory.js';

/**
 * Chat rules for this service's own streams: a kind 1311 whose `a` tag names one of our
 * 30311 events is refused when that stream has chat disabled (or does not exist). Chat
 * for other services' streams passes untouched.
 *
 *   new StreamChatPolicy(new OurCoordinates(servicePubkey), directory)
 */
export class StreamChatPolicy implements Policy {
  constructor(
    private readonly ours: OurCoordinates,
    private readonly streams: StreamDirectory,
  ) {}

  async check(event: NostrEvent): Promise<string | undefined> {
    if (event.kind !== KIND.liveChat) return undefined;
    for (const { streamId } of this.ours.named(event)) {
      const stream = await this.streams.find(streamId);
      if (!stream) return NO_SUCH_STREAM;
      if (!stream.chatEnabled) return 'blocked: the host has turned chat off for this stream';
    }
    return undefined;
  }
}

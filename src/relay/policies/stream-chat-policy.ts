import { formatCoordinate, liveEventCoordinate } from '../../protocol/coordinate.js';
import { KIND } from '../../protocol/kinds.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { Policy } from './policy.js';

/** What the chat rules need to know about one of this service's streams. */
export interface ChatSettingsLookup {
  /** undefined when the service has no stream with this id. */
  chatEnabled(streamId: string): Promise<boolean | undefined>;
}

/**
 * Chat rules for this service's own streams: a kind 1311 whose `a` tag names one of our
 * 30311 events is refused when that stream has chat disabled (or does not exist). Chat
 * for other services' streams passes untouched.
 *
 *   new StreamChatPolicy(servicePubkey, { chatEnabled: async (id) => ... })
 */
export class StreamChatPolicy implements Policy {
  private readonly prefix: string;

  constructor(
    servicePubkey: string,
    private readonly streams: ChatSettingsLookup,
  ) {
    this.prefix = formatCoordinate(liveEventCoordinate(servicePubkey, ''));
  }

  async check(event: NostrEvent): Promise<string | undefined> {
    if (event.kind !== KIND.liveChat) return undefined;
    for (const [name, value] of event.tags) {
      if (name !== 'a' || !value?.startsWith(this.prefix)) continue;
      const enabled = await this.streams.chatEnabled(value.slice(this.prefix.length));
      if (enabled === undefined) return 'blocked: there is no such stream on this service';
      if (!enabled) return 'blocked: the host has turned chat off for this stream';
    }
    return undefined;
  }
}

import { KIND } from '../../protocol/kinds.js';
import { MODERATION_KINDS, parseModeration } from '../../protocol/moderation.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import { unixNow } from '../../protocol/time.js';
import type { ChatModeration } from '../moderation/chat-moderation.js';
import type { Policy } from './policy.js';
import { canModerate, NO_SUCH_STREAM, type OurCoordinates, type StreamDirectory } from './stream-directory.js';

/**
 * Moderation of this service's chats: only the host or a moderator may remove messages or
 * ban users, and a banned user's chat is refused until the ban ends. Every `a` tag counts,
 * so naming another stream first does not slip past the rule.
 *
 *   new ModerationPolicy(ours, directory, moderation)
 */
export class ModerationPolicy implements Policy {
  constructor(
    private readonly ours: OurCoordinates,
    private readonly streams: StreamDirectory,
    private readonly moderation: ChatModeration,
    private readonly now: () => number = unixNow,
  ) {}

  async check(event: NostrEvent): Promise<string | undefined> {
    const named = this.ours.named(event);
    if (named.length === 0) return undefined;

    if (MODERATION_KINDS.includes(event.kind)) {
      const parsed = parseModeration(event);
      if (!parsed.ok) return `invalid: ${parsed.reason}`;
      for (const { streamId } of named) {
        const stream = await this.streams.find(streamId);
        if (!stream) return NO_SUCH_STREAM;
        if (!canModerate(stream, event.pubkey)) return 'blocked: only the host or a moderator of this stream can moderate its chat';
      }
      return undefined;
    }
    if (event.kind === KIND.liveChat) {
      for (const { coordinate } of named) {
        const until = await this.moderation.bannedUntil(coordinate, event.pubkey, this.now());
        if (until === undefined) continue;
        return Number.isFinite(until)
          ? `blocked: you are timed out of this chat until ${new Date(until * 1000).toISOString()}`
          : 'blocked: the host has banned you from this chat';
      }
    }
    return undefined;
  }
}

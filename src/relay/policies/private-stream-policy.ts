import { KIND } from '../../protocol/kinds.js';
import { isHexId, type NostrEvent } from '../../protocol/nostr-event.js';
import type { PrivateStreams } from '../private-streams.js';
import type { EventStore } from '../store/event-store.js';
import type { EventContext, Policy } from './policy.js';
import { NO_SUCH_STREAM, type OurCoordinates } from './stream-directory.js';

/**
 * Writes about this service's streams:
 * - an event naming one of our streams that does not exist, or a private one the sender has
 *   no access to (by AUTH or as its host or moderator), is refused with the same words, so a
 *   private stream cannot be found by posting to it;
 * - an event referring (`e` tag) to an event of a private stream must name that stream too
 *   (`a` tag). Then every event about a private stream names it, and readers are filtered on
 *   the event alone (PrivateStreams), a reaction to a private message included.
 *
 *   new PrivateStreamPolicy(ours, privacy, store)
 */
export class PrivateStreamPolicy implements Policy {
  constructor(
    private readonly ours: OurCoordinates,
    private readonly privacy: PrivateStreams,
    private readonly store: EventStore,
  ) {}

  async check(event: NostrEvent, context: EventContext): Promise<string | undefined> {
    const named = await this.privacy.named(event);
    for (const { streamId, stream } of named) {
      if (!stream || !this.privacy.allows(context.access, streamId, stream, event.pubkey)) return NO_SUCH_STREAM;
    }
    return this.checkReferences(event, context, new Set(named.map(({ streamId }) => streamId)));
  }

  private async checkReferences(event: NostrEvent, context: EventContext, named: ReadonlySet<string>): Promise<string | undefined> {
    const ids = [...new Set(event.tags.filter((tag) => tag[0] === 'e' && isHexId(tag[1] ?? '')).map((tag) => tag[1] ?? ''))];
    if (ids.length === 0) return undefined;
    const referenced = await this.store.query([{ ids }], ids.length);
    for (const target of referenced) {
      // A deletion of one's own message needs no stream named: the message goes, the request reveals nothing of it.
      if (event.kind === KIND.deletion && target.pubkey === event.pubkey) continue;
      for (const { streamId, stream } of await this.privacy.named(target)) {
        if (!stream?.isPrivate || named.has(streamId)) continue;
        // Only someone who may see the stream is told which one it is.
        return this.privacy.allows(context.access, streamId, stream, event.pubkey)
          ? `invalid: event ${target.id} belongs to a private stream; add the tag ["a","${this.ours.coordinate(streamId)}"] so that only its viewers can read this`
          : `invalid: event ${target.id} cannot be referred to without naming the stream it belongs to`;
      }
    }
    return undefined;
  }
}

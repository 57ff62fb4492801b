import { formatCoordinate, liveEventCoordinate, parseLiveEventCoordinate } from '../../protocol/coordinate.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';

/** What the relay's rules need to know about one of this service's streams. */
export interface OurStream {
  readonly chatEnabled: boolean;
  /** Only the host, its moderators and holders of its token may read what concerns it. */
  readonly isPrivate: boolean;
  readonly host: string;
  readonly moderators: readonly string[];
}

/** undefined when the service has no stream with this id. */
export interface StreamDirectory {
  find(streamId: string): Promise<OurStream | undefined>;
}

/**
 * Tells this service's live events apart from everyone else's by their coordinate: a
 * service-signed stream's is `30311:<service>:<id>`, a streamer-signed one's
 * `30311:<streamer>:<id>`. Only the stream's real author makes it ours: the same id under
 * another pubkey is someone else's event. `authors` answers from memory (every streamer-signed
 * stream's author), so the check costs no query.
 *
 *   const ours = new OurCoordinates(servicePubkey, (id) => signers.authorOf(id));
 *   ours.streamId('30311:<service pubkey>:<id>') // '<id>'; undefined for another service's stream
 *   ours.named(event)                            // every one of our streams its `a` tags name
 */
export class OurCoordinates {
  constructor(
    private readonly servicePubkey: string,
    private readonly authors: (streamId: string) => string | undefined = () => undefined,
  ) {}

  coordinate(streamId: string): string {
    return formatCoordinate(liveEventCoordinate(this.authors(streamId) ?? this.servicePubkey, streamId));
  }

  streamId(coordinate: string | undefined): string | undefined {
    const parsed = coordinate === undefined ? undefined : parseLiveEventCoordinate(coordinate);
    if (!parsed?.ok) return undefined;
    const { pubkey, identifier } = parsed.value;
    return pubkey === (this.authors(identifier) ?? this.servicePubkey) ? identifier : undefined;
  }

  /**
   * Our streams among all of the event's `a` tags, not only the first: a rule that read one
   * tag could be dodged by putting someone else's coordinate before ours.
   */
  named(event: Pick<NostrEvent, 'tags'>): { readonly coordinate: string; readonly streamId: string }[] {
    const found = new Map<string, string>();
    for (const [name, value] of event.tags) {
      const streamId = name === 'a' ? this.streamId(value) : undefined;
      if (value !== undefined && streamId !== undefined) found.set(value, streamId);
    }
    return [...found].map(([coordinate, streamId]) => ({ coordinate, streamId }));
  }
}

export const canModerate = (stream: OurStream, pubkey: string) => stream.host === pubkey || stream.moderators.includes(pubkey);

/** The answer for a stream that does not exist here, and for a private one the writer may not see (the same words, so it stays hidden). */
export const NO_SUCH_STREAM = 'blocked: there is no such stream on this service';

import { formatCoordinate, liveEventCoordinate } from '../../protocol/coordinate.js';
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
 * Tells this service's live events apart from everyone else's by their coordinate.
 *
 *   const ours = new OurCoordinates(servicePubkey);
 *   ours.streamId('30311:<service pubkey>:<id>') // '<id>'; undefined for another service's stream
 *   ours.named(event)                            // every one of our streams its `a` tags name
 */
export class OurCoordinates {
  private readonly prefix: string;

  constructor(servicePubkey: string) {
    this.prefix = formatCoordinate(liveEventCoordinate(servicePubkey, ''));
  }

  coordinate(streamId: string): string {
    return `${this.prefix}${streamId}`;
  }

  streamId(coordinate: string | undefined): string | undefined {
    return coordinate?.startsWith(this.prefix) ? coordinate.slice(this.prefix.length) : undefined;
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

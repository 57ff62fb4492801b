import { formatCoordinate, liveEventCoordinate } from '../../protocol/coordinate.js';

/** What the relay's rules need to know about one of this service's streams. */
export interface OurStream {
  readonly chatEnabled: boolean;
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
 */
export class OurCoordinates {
  private readonly prefix: string;

  constructor(servicePubkey: string) {
    this.prefix = formatCoordinate(liveEventCoordinate(servicePubkey, ''));
  }

  streamId(coordinate: string | undefined): string | undefined {
    return coordinate?.startsWith(this.prefix) ? coordinate.slice(this.prefix.length) : undefined;
  }
}

export const canModerate = (stream: OurStream, pubkey: string) => stream.host === pubkey || stream.moderators.includes(pubkey);

import { KIND } from './kinds.js';
import { parsed, rejected, type Parsed } from './result.js';
import { isHexPubkey } from './nostr-event.js';

/**
 * The address of an addressable event, `<kind>:<pubkey>:<d>` (NIP-01), as chat, reactions
 * and reports point at a live event with an `a` tag.
 *
 *   formatCoordinate({ kind: 30311, pubkey, identifier: streamId }) // '30311:<pubkey>:<id>'
 */
export interface Coordinate {
  readonly kind: number;
  readonly pubkey: string;
  readonly identifier: string;
}

export function formatCoordinate(coordinate: Coordinate): string {
  return `${coordinate.kind}:${coordinate.pubkey}:${coordinate.identifier}`;
}

export function parseCoordinate(value: string): Parsed<Coordinate> {
  const first = value.indexOf(':');
  const second = value.indexOf(':', first + 1);
  if (first < 0 || second < 0) return rejected('a coordinate is <kind>:<pubkey>:<d>');
  const kind = value.slice(0, first);
  const pubkey = value.slice(first + 1, second);
  if (!/^\d{1,5}$/.test(kind)) return rejected('the coordinate kind is not a number');
  if (!isHexPubkey(pubkey)) return rejected('the coordinate pubkey is not 64 lowercase hex characters');
  return parsed({ kind: Number(kind), pubkey, identifier: value.slice(second + 1) });
}

/** The coordinate of a live event: `30311:<author>:<stream id>`. */
export const liveEventCoordinate = (pubkey: string, identifier: string): Coordinate => ({
  kind: KIND.liveEvent,
  pubkey,
  identifier,
});

/** The live event a coordinate names, if it names one. */
export function parseLiveEventCoordinate(value: string): Parsed<Coordinate> {
  const coordinate = parseCoordinate(value);
  if (coordinate.ok && coordinate.value.kind !== KIND.liveEvent) {
    return rejected(`the coordinate names kind ${coordinate.value.kind}, not a live event (${KIND.liveEvent})`);
  }
  return coordinate;
}

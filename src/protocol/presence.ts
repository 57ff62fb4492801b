import { formatCoordinate, parseCoordinate, type Coordinate } from './coordinate.js';
import { relayHint, optional, type EventTemplate, type ReceivedEvent } from './event-template.js';
import { KIND } from './kinds.js';
import { tagsNamed, tagValue } from './nostr-event.js';
import { parsed, rejected, type Parsed } from './result.js';

/**
 * NIP-53 room presence (kind 10312): a signed-in viewer says "I am here" for one live
 * event, and says it again while the page stays open, as Nostr audio rooms (Nests) do. It
 * is replaceable, so a viewer's newest presence is the one room they are in; it carries an
 * expiration (NIP-40) so that relays forget it once its holder has gone.
 *
 *   const template = buildPresence({ stream: coordinate, relay }, unixNow());
 *   const here = presentIn(stream, presences, unixNow()); // the pubkeys here now
 */

/** How often an open page says it again. */
export const PRESENCE_REFRESH_SECONDS = 120;
/** How old a presence may be and still count: two missed refreshes and a margin, so one late refresh does not drop anyone. */
export const PRESENCE_WINDOW_SECONDS = 300;

export interface PresenceDraft {
  readonly stream: Coordinate;
  readonly relay?: string;
}

export interface Presence {
  readonly id: string;
  readonly author: string;
  readonly createdAt: number;
  readonly stream: Coordinate;
  readonly relay?: string;
  /** Audio rooms' raised hand (`["hand", "1"]`); read so their presences parse, never written here. */
  readonly handRaised: boolean;
  /** NIP-40 expiration, when the event has one. */
  readonly expiresAt?: number;
}

export function buildPresence(draft: PresenceDraft, createdAt: number): EventTemplate {
  return {
    kind: KIND.presence,
    created_at: createdAt,
    tags: [
      ['a', formatCoordinate(draft.stream), relayHint(draft.relay), 'root'],
      ['expiration', String(createdAt + PRESENCE_WINDOW_SECONDS)],
    ],
    content: '',
  };
}

export function parsePresence(event: ReceivedEvent): Parsed<Presence> {
  if (event.kind !== KIND.presence) return rejected(`kind ${event.kind} is not a room presence (${KIND.presence})`);
  const aTags = tagsNamed(event, 'a');
  const rootTag = aTags.find((tag) => tag[3] === 'root') ?? aTags[0];
  if (rootTag?.[1] === undefined) return rejected('a presence needs an a tag naming the room');
  const stream = parseCoordinate(rootTag[1]);
  if (!stream.ok) return stream;
  const expiration = tagValue(event, 'expiration');
  return parsed({
    id: event.id,
    author: event.pubkey,
    createdAt: event.created_at,
    stream: stream.value,
    handRaised: tagValue(event, 'hand') === '1',
    ...(optional(rootTag[2]) ? { relay: rootTag[2] } : {}),
    ...(expiration !== undefined && /^\d+$/.test(expiration) ? { expiresAt: Number(expiration) } : {}),
  });
}

/**
 * Who is in `stream` at `now`: each author's newest presence counts (a newer one naming
 * another room means they left), if it is recent and not expired. In a fixed order (by
 * pubkey), so that the list does not reshuffle at every refresh.
 */
export function presentIn(stream: Coordinate, presences: Iterable<Presence>, now: number): string[] {
  const newest = new Map<string, Presence>();
  for (const presence of presences) {
    const known = newest.get(presence.author);
    if (!known || presence.createdAt > known.createdAt) newest.set(presence.author, presence);
  }
  const address = formatCoordinate(stream);
  return [...newest.values()]
    .filter((presence) => formatCoordinate(presence.stream) === address)
    .filter((presence) => presence.createdAt > now - PRESENCE_WINDOW_SECONDS && (presence.expiresAt === undefined || presence.expiresAt > now))
    .map((presence) => presence.author)
    .sort();
}

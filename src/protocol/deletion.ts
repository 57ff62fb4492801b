import { formatCoordinate, parseCoordinate, type Coordinate } from './coordinate.js';
import type { EventTemplate, ReceivedEvent } from './event-template.js';
import { KIND } from './kinds.js';
import { isHexId, tagsNamed } from './nostr-event.js';
import { parsed, rejected, type Parsed } from './result.js';

/**
 * NIP-09 deletion request (kind 5): the author withdraws their own events by id or their
 * addressable events by coordinate. Relays honour it only for the same author.
 *
 *   buildDeletion({ events: [messageId], kinds: [1311], reason: 'typo' }, now)
 */
export interface DeletionDraft {
  readonly events?: readonly string[];
  readonly coordinates?: readonly Coordinate[];
  readonly kinds?: readonly number[];
  readonly reason?: string;
}

export interface Deletion {
  readonly id: string;
  readonly author: string;
  readonly createdAt: number;
  readonly events: readonly string[];
  readonly coordinates: readonly Coordinate[];
  readonly kinds: readonly number[];
  readonly reason: string;
}

export function buildDeletion(draft: DeletionDraft, createdAt: number): EventTemplate {
  const tags = [
    ...(draft.events ?? []).map((id) => ['e', id]),
    ...(draft.coordinates ?? []).map((coordinate) => ['a', formatCoordinate(coordinate)]),
    ...(draft.kinds ?? []).map((kind) => ['k', String(kind)]),
  ];
  return { kind: KIND.deletion, created_at: createdAt, tags, content: draft.reason ?? '' };
}

export function parseDeletion(event: ReceivedEvent): Parsed<Deletion> {
  if (event.kind !== KIND.deletion) return rejected(`kind ${event.kind} is not a deletion request (${KIND.deletion})`);
  const events: string[] = [];
  for (const [, id] of tagsNamed(event, 'e')) {
    if (id === undefined || !isHexId(id)) return rejected('an e tag does not hold a 64-character hex id');
    events.push(id);
  }
  const coordinates: Coordinate[] = [];
  for (const [, value] of tagsNamed(event, 'a')) {
    const coordinate = parseCoordinate(value ?? '');
    if (!coordinate.ok) return coordinate;
    if (coordinate.value.pubkey !== event.pubkey) return rejected('an a tag names an event by another author');
    coordinates.push(coordinate.value);
  }
  if (events.length === 0 && coordinates.length === 0) return rejected('a deletion request names no event');
  const kinds = tagsNamed(event, 'k').flatMap(([, kind]) => (kind && /^\d{1,5}$/.test(kind) ? [Number(kind)] : []));
  return parsed({ id: event.id, author: event.pubkey, createdAt: event.created_at, events, coordinates, kinds, reason: event.content });
}

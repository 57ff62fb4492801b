import { formatCoordinate, parseCoordinate, type Coordinate } from './coordinate.js';
import { relayHint, type EventTemplate, type ReceivedEvent } from './event-template.js';
import { KIND } from './kinds.js';
import { isHexId, isHexPubkey, tagValue } from './nostr-event.js';
import { parsed, rejected, type Parsed } from './result.js';

/**
 * NIP-25 reaction (kind 7) to a live event (by its `a` coordinate) or to a chat message
 * (by its `e` id). The content is the emoji, `+` for a like.
 *
 *   buildReaction({ target: { stream: coordinate, author: host }, emoji: '🔥' }, now)
 */
export const MAX_REACTION_LENGTH = 64;

export type ReactionTarget =
  | { readonly stream: Coordinate; readonly author: string; readonly relay?: string }
  | { readonly event: string; readonly author: string; readonly stream?: Coordinate; readonly relay?: string };

export interface ReactionDraft {
  readonly target: ReactionTarget;
  readonly emoji: string;
}

export interface Reaction {
  readonly id: string;
  readonly author: string;
  readonly createdAt: number;
  readonly emoji: string;
  /** The live event reacted to, or the stream of the message reacted to. */
  readonly stream?: Coordinate;
  /** The message reacted to, when the reaction is to a message. */
  readonly event?: string;
  /** The author of what was reacted to. */
  readonly targetAuthor?: string;
}

export function buildReaction(draft: ReactionDraft, createdAt: number): EventTemplate {
  const { target } = draft;
  const tags: string[][] = [];
  if ('event' in target) tags.push(['e', target.event, relayHint(target.relay)]);
  if (target.stream) tags.push(['a', formatCoordinate(target.stream), relayHint(target.relay)]);
  tags.push(['p', target.author]);
  tags.push(['k', String('event' in target ? KIND.liveChat : KIND.liveEvent)]);
  return { kind: KIND.reaction, created_at: createdAt, tags, content: draft.emoji };
}

export function parseReaction(event: ReceivedEvent): Parsed<Reaction> {
  if (event.kind !== KIND.reaction) return rejected(`kind ${event.kind} is not a reaction (${KIND.reaction})`);
  if (event.content.length > MAX_REACTION_LENGTH) return rejected('the reaction is too long to be an emoji');
  // NIP-25: the last e/p tags name what was reacted to.
  const eValue = event.tags.filter((tag) => tag[0] === 'e').at(-1)?.[1];
  const pValue = event.tags.filter((tag) => tag[0] === 'p').at(-1)?.[1];
  const aValue = tagValue(event, 'a');
  if (eValue !== undefined && !isHexId(eValue)) return rejected('the e tag does not hold a 64-character hex id');
  if (pValue !== undefined && !isHexPubkey(pValue)) return rejected('the p tag does not hold a 64-character hex pubkey');
  const stream = aValue === undefined ? undefined : parseCoordinate(aValue);
  if (stream && !stream.ok) return stream;
  if (eValue === undefined && !stream) return rejected('a reaction needs an e or a tag naming what it reacts to');
  return parsed({
    id: event.id,
    author: event.pubkey,
    createdAt: event.created_at,
    emoji: event.content === '' ? '+' : event.content,
    ...(stream ? { stream: stream.value } : {}),
    ...(eValue ? { event: eValue } : {}),
    ...(pValue ? { targetAuthor: pValue } : {}),
  });
}

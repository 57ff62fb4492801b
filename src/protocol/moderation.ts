import { formatCoordinate, parseLiveEventCoordinate, type Coordinate } from './coordinate.js';
import type { EventTemplate, ReceivedEvent } from './event-template.js';
import { KIND } from './kinds.js';
import { isHexId, isHexPubkey, tagsNamed, tagValue } from './nostr-event.js';
import { parsed, rejected, type Parsed } from './result.js';

/**
 * Host moderation of a live chat. NIP-09 deletions only work for one's own events, so the
 * host (or a moderator named in the 30311 with the `moderator` role) signs these instead;
 * they reuse the NIP-29 moderation kinds, addressed to the live event with an `a` tag:
 *
 *   kind 9005  remove messages   ["a", <30311 coordinate>], ["e", <message id>]…
 *   kind 9001  ban a user        ["a", …], ["p", <pubkey>], optional ["until", <unix seconds>] (a time-out)
 *   kind 9000  lift a ban        ["a", …], ["p", <pubkey>]
 *
 * The content is an optional reason. Relays that know the stream refuse chat from banned
 * users and hide removed messages; clients hide them as the events arrive.
 *
 *   buildChatRemoval({ stream, messages: [id], reason: 'spam' }, now)
 */
export type ModerationAction =
  | { readonly type: 'remove'; readonly messages: readonly string[] }
  | { readonly type: 'ban'; readonly user: string; readonly until?: number }
  | { readonly type: 'unban'; readonly user: string };

export interface ModerationDraft {
  readonly stream: Coordinate;
  readonly action: ModerationAction;
  readonly reason?: string;
}

export interface Moderation extends ModerationDraft {
  readonly id: string;
  readonly moderator: string;
  readonly createdAt: number;
}

export const MODERATION_KINDS: readonly number[] = [KIND.chatRemoval, KIND.chatBan, KIND.chatUnban];

export function buildModeration(draft: ModerationDraft, createdAt: number): EventTemplate {
  const tags = [['a', formatCoordinate(draft.stream)]];
  const { action } = draft;
  let kind: number;
  if (action.type === 'remove') {
    kind = KIND.chatRemoval;
    for (const id of action.messages) tags.push(['e', id]);
  } else {
    kind = action.type === 'ban' ? KIND.chatBan : KIND.chatUnban;
    tags.push(['p', action.user]);
    if (action.type === 'ban' && action.until !== undefined) tags.push(['until', String(action.until)]);
  }
  return { kind, created_at: createdAt, tags, content: draft.reason ?? '' };
}

export function parseModeration(event: ReceivedEvent): Parsed<Moderation> {
  if (!MODERATION_KINDS.includes(event.kind)) return rejected(`kind ${event.kind} is not a chat moderation event`);
  const address = tagValue(event, 'a');
  if (address === undefined) return rejected('a moderation event needs an a tag naming the live event');
  const stream = parseLiveEventCoordinate(address);
  if (!stream.ok) return stream;
  let action: ModerationAction;
  if (event.kind === KIND.chatRemoval) {
    const messages = tagsNamed(event, 'e').map((tag) => tag[1] ?? '');
    if (messages.length === 0 || !messages.every(isHexId)) return rejected('a removal names messages with e tags of 64 hex characters');
    action = { type: 'remove', messages };
  } else {
    const user = tagValue(event, 'p');
    if (user === undefined || !isHexPubkey(user)) return rejected('a ban names the user with a p tag of 64 hex characters');
    const until = tagValue(event, 'until');
    if (until !== undefined && !/^\d{1,15}$/.test(until)) return rejected('until must be a Unix time in seconds');
    action =
      event.kind === KIND.chatBan
        ? { type: 'ban', user, ...(until !== undefined && { until: Number(until) }) }
        : { type: 'unban', user };
  }
  return parsed({
    id: event.id,
    moderator: event.pubkey,
    createdAt: event.created_at,
    stream: stream.value,
    action,
    ...(event.content && { reason: event.content }),
  });
}

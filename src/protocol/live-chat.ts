import { emojiTags, parseEmojiTags, type CustomEmoji } from './custom-emoji.js';
import { formatCoordinate, parseLiveEventCoordinate, type Coordinate } from './coordinate.js';
import { optional, relayHint, type EventTemplate, type ReceivedEvent } from './event-template.js';
import { KIND } from './kinds.js';
import { isHexId, isHexPubkey, tagsNamed } from './nostr-event.js';
import { parsed, rejected, type Parsed } from './result.js';

/**
 * NIP-53 live chat message (kind 1311): a message in a stream's chat, optionally a reply
 * to an earlier message (NIP-10 marked `e` tag), with NIP-30 custom emoji.
 *
 *   const template = buildLiveChat({ stream: coordinate, content: 'hello' }, now);
 *   const message = parseLiveChat(received);
 */
export const MAX_CHAT_LENGTH = 2000;

export interface ChatReply {
  readonly id: string;
  readonly author?: string;
  readonly relay?: string;
}

export interface LiveChatDraft {
  readonly stream: Coordinate;
  readonly content: string;
  readonly relay?: string;
  readonly replyTo?: ChatReply;
  /** The pictures its `:shortcode:`s stand for (NIP-30 `emoji` tags). */
  readonly emoji?: readonly CustomEmoji[];
}

export interface LiveChatMessage extends LiveChatDraft {
  readonly id: string;
  readonly author: string;
  readonly createdAt: number;
}

export function buildLiveChat(draft: LiveChatDraft, createdAt: number): EventTemplate {
  const tags = [['a', formatCoordinate(draft.stream), relayHint(draft.relay), 'root']];
  if (draft.replyTo) {
    tags.push(['e', draft.replyTo.id, relayHint(draft.replyTo.relay), 'reply']);
    if (draft.replyTo.author) tags.push(['p', draft.replyTo.author]);
  }
  if (draft.emoji) tags.push(...emojiTags(draft.emoji));
  return { kind: KIND.liveChat, created_at: createdAt, tags, content: draft.content };
}

export function parseLiveChat(event: ReceivedEvent): Parsed<LiveChatMessage> {
  if (event.kind !== KIND.liveChat) return rejected(`kind ${event.kind} is not a live chat message (${KIND.liveChat})`);
  if (event.content.trim() === '') return rejected('the message is empty');
  if (event.content.length > MAX_CHAT_LENGTH) return rejected(`the message is longer than ${MAX_CHAT_LENGTH} characters`);
  const aTags = tagsNamed(event, 'a');
  const rootTag = aTags.find((tag) => tag[3] === 'root') ?? aTags[0];
  if (rootTag?.[1] === undefined) return rejected('a live chat message needs an a tag naming the live event');
  const stream = parseLiveEventCoordinate(rootTag[1]);
  if (!stream.ok) return stream;

  const eTags = tagsNamed(event, 'e');
  const replyTag = eTags.find((tag) => tag[3] === 'reply') ?? eTags[0];
  let replyTo: ChatReply | undefined;
  if (replyTag) {
    const [, id, relay] = replyTag;
    if (id === undefined || !isHexId(id)) return rejected('the reply e tag does not hold a 64-character hex id');
    const author = tagsNamed(event, 'p')
      .map((tag) => tag[1])
      .find((pubkey) => pubkey !== undefined && isHexPubkey(pubkey));
    replyTo = { id, ...(optional(relay) ? { relay } : {}), ...(author ? { author } : {}) };
  }
  const emoji = parseEmojiTags(event.tags);
  return parsed({
    id: event.id,
    author: event.pubkey,
    createdAt: event.created_at,
    stream: stream.value,
    content: event.content,
    ...(optional(rootTag[2]) ? { relay: rootTag[2] } : {}),
    ...(replyTo ? { replyTo } : {}),
    ...(emoji.length > 0 ? { emoji } : {}),
  });
}

import { useEffect, useState } from 'react';
import { formatCoordinate, type Coordinate } from '../../../../src/protocol/coordinate';
import { KIND } from '../../../../src/protocol/kinds';
import { parseLiveChat, type LiveChatMessage } from '../../../../src/protocol/live-chat';
import { parseModeration } from '../../../../src/protocol/moderation';
import { parseReaction } from '../../../../src/protocol/reaction';
import type { ChatChannel } from '../../lib/chat-channel';
import { byTimeThenId } from './chat-order';

export interface ChatReaction {
  readonly id: string;
  readonly emoji: string;
  readonly author: string;
}

export interface ChatState {
  /** In the chat's one order (created_at, then id), however they arrived. */
  readonly messages: LiveChatMessage[];
  /** Reactions to the stream itself. */
  readonly reactions: ChatReaction[];
  /** Reactions to a message, by the message's id. */
  readonly messageReactions: ReadonlyMap<string, readonly ChatReaction[]>;
  /** What the host (or a moderator) removed: messages, already left out above, and zap receipts, whose lines the panel hides. */
  readonly removed: ReadonlySet<string>;
}

/**
 * A stream's chat: recent history then live kind 1311 messages, kind 7 reactions to the
 * stream and to its messages, and the host's removals (kind 9005) applied as they arrive.
 */
export function useChat(stream: Coordinate, channel: ChatChannel, moderators: readonly string[]): ChatState {
  const [messages, setMessages] = useState<Map<string, LiveChatMessage>>(new Map());
  const [removed, setRemoved] = useState<Set<string>>(new Set());
  const [reactions, setReactions] = useState<ChatReaction[]>([]);
  const [messageReactions, setMessageReactions] = useState<Map<string, ChatReaction[]>>(new Map());
  const address = formatCoordinate(stream);
  const moderatorKey = moderators.join(',');

  useEffect(() => {
    setMessages(new Map());
    setReactions([]);
    setMessageReactions(new Map());
    return channel.subscribe({ kinds: [KIND.liveChat, KIND.reaction, KIND.chatRemoval], '#a': [address], limit: 200 }, (event) => {
      if (event.kind === KIND.liveChat) {
        const parsed = parseLiveChat(event);
        if (parsed.ok) setMessages((previous) => new Map(previous).set(parsed.value.id, parsed.value));
      } else if (event.kind === KIND.reaction) {
        const parsed = parseReaction(event);
        if (!parsed.ok) return;
        const { id, emoji, author, event: target } = parsed.value;
        const reaction = { id, emoji, author };
        if (target === undefined) setReactions((previous) => [...previous.slice(-49), reaction]);
        else
          setMessageReactions((previous) => {
            const those = previous.get(target) ?? [];
            return those.some((known) => known.id === id) ? previous : new Map(previous).set(target, [...those, reaction]);
          });
      } else {
        const parsed = parseModeration(event);
        if (parsed.ok && parsed.value.action.type === 'remove' && moderators.includes(parsed.value.moderator)) {
          const ids = parsed.value.action.messages;
          setRemoved((previous) => new Set([...previous, ...ids]));
        }
      }
    });
  }, [address, channel.key, moderatorKey]);

  const visible = [...messages.values()]
    .filter((message) => !removed.has(message.id))
    .sort((a, b) => byTimeThenId({ at: a.createdAt, id: a.id }, { at: b.createdAt, id: b.id }));
  return { messages: visible, reactions, messageReactions, removed };
}

import { useEffect, useState } from 'react';
import { formatCoordinate, type Coordinate } from '../../../../src/protocol/coordinate';
import { KIND } from '../../../../src/protocol/kinds';
import { parseLiveChat, type LiveChatMessage } from '../../../../src/protocol/live-chat';
import { parseModeration } from '../../../../src/protocol/moderation';
import { parseReaction } from '../../../../src/protocol/reaction';
import type { ChatChannel } from '../../lib/chat-channel';

export interface ChatState {
  readonly messages: LiveChatMessage[];
  readonly reactions: { id: string; emoji: string; author: string }[];
  /** What the host (or a moderator) removed: messages, already left out above, and zap receipts, whose lines the panel hides. */
  readonly removed: ReadonlySet<string>;
}

/**
 * A stream's chat: recent history then live kind 1311 messages, kind 7 reactions to the
 * stream, and the host's removals (kind 9005) applied as they arrive.
 */
export function useChat(stream: Coordinate, channel: ChatChannel, moderators: readonly string[]): ChatState {
  const [messages, setMessages] = useState<Map<string, LiveChatMessage>>(new Map());
  const [removed, setRemoved] = useState<Set<string>>(new Set());
  const [reactions, setReactions] = useState<ChatState['reactions']>([]);
  const address = formatCoordinate(stream);
  const moderatorKey = moderators.join(',');

  useEffect(() => {
    setMessages(new Map());
    setReactions([]);
    return channel.subscribe({ kinds: [KIND.liveChat, KIND.reaction, KIND.chatRemoval], '#a': [address], limit: 200 }, (event) => {
      if (event.kind === KIND.liveChat) {
        const parsed = parseLiveChat(event);
        if (parsed.ok) setMessages((previous) => new Map(previous).set(parsed.value.id, parsed.value));
      } else if (event.kind === KIND.reaction) {
        const parsed = parseReaction(event);
        if (parsed.ok) setReactions((previous) => [...previous.slice(-49), { id: parsed.value.id, emoji: parsed.value.emoji, author: parsed.value.author }]);
      } else {
        const parsed = parseModeration(event);
        if (parsed.ok && parsed.value.action.type === 'remove' && moderators.includes(parsed.value.moderator)) {
          const ids = parsed.value.action.messages;
          setRemoved((previous) => new Set([...previous, ...ids]));
        }
      }
    });
  }, [address, channel.key, moderatorKey]);

  const visible = [...messages.values()].filter((message) => !removed.has(message.id)).sort((a, b) => a.createdAt - b.createdAt);
  return { messages: visible, reactions, removed };
}

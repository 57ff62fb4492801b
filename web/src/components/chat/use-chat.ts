import { useEffect, useRef, useState } from 'react';
import { formatCoordinate, type Coordinate } from '../../../../src/protocol/coordinate';
import { KIND } from '../../../../src/protocol/kinds';
import { parseLiveChat, type LiveChatMessage } from '../../../../src/protocol/live-chat';
import { parseReaction } from '../../../../src/protocol/reaction';
import type { ChatChannel } from '../../lib/chat-channel';
import type { NostrEvent } from '../../lib/nostr';
import { byTimeThenId } from './chat-order';
import { useModeration } from './use-moderation';

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
 * stream and to its messages, and the host's removals (kind 9005) applied as they arrive. A
 * removal its author withdraws (NIP-09) brings the messages back, read again from the relays
 * when this page never had them (the relay leaves removed messages out of history).
 */
export function useChat(stream: Coordinate, channel: ChatChannel, moderators: readonly string[]): ChatState {
  const [messages, setMessages] = useState<Map<string, LiveChatMessage>>(new Map());
  const [reactions, setReactions] = useState<ChatReaction[]>([]);
  const [messageReactions, setMessageReactions] = useState<Map<string, ChatReaction[]>>(new Map());
  const address = formatCoordinate(stream);
  const { state: moderation } = useModeration(stream, channel, moderators);
  const removed = moderation.removed;

  const addMessage = (event: NostrEvent) => {
    const parsed = parseLiveChat(event);
    if (parsed.ok) setMessages((previous) => new Map(previous).set(parsed.value.id, parsed.value));
  };

  useEffect(() => {
    setMessages(new Map());
    setReactions([]);
    setMessageReactions(new Map());
    return channel.subscribe({ kinds: [KIND.liveChat, KIND.reaction], '#a': [address], limit: 200 }, (event) => {
      if (event.kind === KIND.liveChat) addMessage(event);
      else {
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
      }
    });
  }, [address, channel.key]);

  // Restored: what left the removed set and this page never received is asked for by id.
  // A new state (the moderators changed) starts empty and refills: nothing was restored then.
  const seen = useRef({ state: moderation, removed: new Set<string>() });
  const [restoring, setRestoring] = useState<string[]>([]);
  useEffect(() => {
    const before = seen.current.state === moderation ? seen.current.removed : new Set<string>();
    const restored = [...before].filter((id) => !removed.has(id) && !messages.has(id));
    seen.current = { state: moderation, removed: new Set(removed) };
    if (restored.length > 0) setRestoring((previous) => [...new Set([...previous, ...restored])]);
  });
  const restoringKey = restoring.join(',');
  useEffect(() => {
    if (restoring.length === 0) return;
    return channel.subscribe({ ids: restoring, kinds: [KIND.liveChat] }, addMessage);
  }, [restoringKey, channel.key]);

  const visible = [...messages.values()]
    .filter((message) => !removed.has(message.id))
    .sort((a, b) => byTimeThenId({ at: a.createdAt, id: a.id }, { at: b.createdAt, id: b.id }));
  return { messages: visible, reactions, messageReactions, removed };
}

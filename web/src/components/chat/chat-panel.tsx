import { Music } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { Coordinate } from '../../../../src/protocol/coordinate';
import type { EventTemplate } from '../../../../src/protocol/event-template';
import { buildLiveChat, type LiveChatMessage } from '../../../../src/protocol/live-chat';
import { buildModeration } from '../../../../src/protocol/moderation';
import { buildReaction } from '../../../../src/protocol/reaction';
import { buildReport } from '../../../../src/protocol/report';
import { unixNow } from '../../../../src/protocol/time';
import type { Zap } from '../../../../src/protocol/zap';
import type { ChatChannel } from '../../lib/chat-channel';
import { useMuteList } from '../../lib/mute-list';
import type { ChatNotice } from '../../lib/now-playing';
import { useSession } from '../../lib/session';
import { Button } from '../ui/button';
import { toast } from '../ui/toast';
import { ChatComposer } from './chat-composer';
import { interleave } from './chat-order';
import { MessageActions, type MessageAction } from './message-actions';
import { MessageDialogs, type PendingAct } from './message-dialogs';
import { MessageRow } from './message-row';
import { useChat } from './use-chat';
import { ZapLine } from './zap-line';

export interface ChatPanelProps {
  readonly stream: Coordinate;
  /** Where the chat is read and sent (a private stream's: this service's relay, with its token). */
  readonly channel: ChatChannel;
  readonly hostPubkey: string;
  readonly chatEnabled: boolean;
  readonly moderators?: readonly string[];
  /** Show remove/time-out/ban in each message's menu (the host's dashboard). */
  readonly moderator?: boolean;
  readonly viewers?: number;
  /** An audio stream's audience listens. */
  readonly listening?: boolean;
  /** Lines nobody wrote ("Now playing: …"), shown among the messages in time order. */
  readonly notices?: readonly ChatNotice[];
  /** The stream's valid zaps, shown as highlighted lines. */
  readonly zaps?: readonly Zap[];
  /** Where a zap's receipt should go; given, each message of someone else can be zapped. */
  readonly zapRelays?: readonly string[];
}

/**
 * A stream's live chat: history and live messages in one order, compact rows whose actions
 * (react, reply, zap, report, mute; remove, time out, ban for moderators) sit in a menu, the
 * acts on people confirmed first; sending signed by the user's signer; one sign-in prompt when signed out.
 */
export function ChatPanel({ stream, channel, hostPubkey, chatEnabled, moderators = [], moderator = false, viewers, listening = false, notices = [], zaps = [], zapRelays }: ChatPanelProps) {
  const session = useSession();
  const { muted, ready: muteListReady, mute, unmute } = useMuteList();
  const { messages, reactions, messageReactions, removed } = useChat(stream, channel, [hostPubkey, ...moderators]);
  const [replyTo, setReplyTo] = useState<LiveChatMessage>();
  const [pending, setPending] = useState<PendingAct>();
  const [error, setError] = useState<string>();
  const list = useRef<HTMLOListElement>(null);
  // The dialogs have no trigger of their own (one for every message): they give focus back to the menu that asked.
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [messages.length, notices.length, zaps.length]);

  const publish = async (template: EventTemplate) => {
    if (!session.signer) throw new Error('Sign in to take part.');
    await channel.publish(await session.signer.signEvent(template));
  };
  const act = (action: () => Promise<unknown>) => {
    setError(undefined);
    void action().catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  };
  const send = async (content: string) => {
    const reply = replyTo && { id: replyTo.id, author: replyTo.author };
    setError(undefined);
    try {
      await publish(buildLiveChat({ stream, content, ...(reply && { replyTo: reply }) }, unixNow()));
      setReplyTo(undefined);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      throw failure;
    }
  };
  const moderate = (action: Parameters<typeof buildModeration>[0]['action']) => publish(buildModeration({ stream, action }, unixNow()));
  const onAction = (message: LiveChatMessage) => (action: MessageAction, from: HTMLButtonElement | null) => {
    opener.current = from;
    if (action.type === 'react') act(() => publish(buildReaction({ target: { event: message.id, author: message.author, stream }, emoji: action.emoji }, unixNow())));
    else if (action.type === 'reply') setReplyTo(message);
    else if (action.type === 'remove') act(() => moderate({ type: 'remove', messages: [message.id] }));
    else setPending({ type: action.type, message });
  };
  const muteWithUndo = async (author: string, name: string) => {
    await mute(author);
    toast({ title: `Muted ${name}`, description: 'Their messages are hidden.', action: { label: 'Undo', onClick: () => act(() => unmute(author)) } });
  };

  const byId = new Map(messages.map((message) => [message.id, message]));
  const shown = messages.filter((message) => !muted.has(message.author));
  const shownReactions = reactions.filter((reaction) => !muted.has(reaction.author));
  // A hidden zap leaves the chat only: it was paid, so the totals still count it.
  const shownZaps = zaps.filter((zap) => !removed.has(zap.receiptId));
  const roleOf = (pubkey: string) => (pubkey === hostPubkey ? 'host' : moderators.includes(pubkey) ? 'moderator' : undefined);

  return (
    <section aria-label="Live chat" className="flex h-full min-h-0 flex-col rounded-lg border border-border bg-surface">
      <header className="flex items-center justify-between border-b border-border px-3 py-2 text-sm">
        <h2 className="font-semibold">Live chat</h2>
        {viewers !== undefined && (
          <span className="text-muted">
            {viewers} {listening ? 'listening' : 'watching'}
          </span>
        )}
      </header>
      {shownReactions.length > 0 && (
        <div aria-label="Reactions" data-testid="reactions" className="flex flex-wrap gap-1 border-b border-border px-3 py-1 text-lg">
          {shownReactions.slice(-12).map((reaction) => (
            <span key={reaction.id}>{reaction.emoji}</span>
          ))}
        </div>
      )}
      {/* Focusable so keyboard users can scroll back through history (WCAG scrollable-region-focusable). */}
      <ol
        ref={list}
        tabIndex={0}
        aria-label="Chat history"
        className="flex-1 space-y-0.5 overflow-y-auto p-2 focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent"
        aria-live="polite"
      >
        {interleave(shown, shownZaps, notices).map((entry) => {
          if ('zap' in entry) {
            const { receiptId } = entry.zap;
            const hide =
              moderator && session.pubkey ? (
                <Button size="sm" variant="ghost" title="Hide this zap's line from the chat; its sats still count" onClick={() => act(() => moderate({ type: 'remove', messages: [receiptId] }))}>
                  Hide
                </Button>
              ) : undefined;
            return <ZapLine key={`zap-${receiptId}`} zap={entry.zap} host={hostPubkey} actions={hide} />;
          }
          if ('notice' in entry) {
            return (
              <li key={`notice-${entry.notice.id}`} data-testid="chat-notice" className="flex items-center gap-2 rounded bg-surface-2 px-2 py-1 text-xs italic text-muted">
                <Music className="h-3 w-3 shrink-0 text-accent" aria-hidden />
                <span className="min-w-0 break-words">{entry.notice.text}</span>
              </li>
            );
          }
          const { message } = entry;
          const quoted = message.replyTo ? byId.get(message.replyTo.id) : undefined;
          const role = roleOf(message.author);
          const reactionsTo = messageReactions.get(message.id)?.filter((reaction) => !muted.has(reaction.author));
          return (
            <MessageRow
              key={message.id}
              message={message}
              // A reply still shows, but not the words of someone this user muted.
              {...(quoted && !muted.has(quoted.author) && { parent: quoted })}
              {...(role && { role })}
              {...(reactionsTo && { reactions: reactionsTo })}
              actions={
                session.pubkey ? (
                  <MessageActions
                    author={message.author}
                    own={message.author === session.pubkey}
                    zappable={zapRelays !== undefined}
                    moderator={moderator}
                    muteReady={muteListReady}
                    onAction={onAction(message)}
                  />
                ) : undefined
              }
            />
          );
        })}
      </ol>
      <ChatComposer
        chatEnabled={chatEnabled}
        signedIn={session.pubkey !== undefined}
        replyTo={replyTo}
        onCancelReply={() => setReplyTo(undefined)}
        onSend={send}
        onReact={(emoji) => act(() => publish(buildReaction({ target: { stream, author: hostPubkey }, emoji }, unixNow())))}
        error={error}
      />
      <MessageDialogs
        pending={pending}
        onClose={() => setPending(undefined)}
        opener={opener}
        stream={stream}
        channel={channel}
        zapRelays={zapRelays}
        onReport={(message, reason) => publish(buildReport({ user: message.author, message: message.id, stream, reason }, unixNow()))}
        onMute={muteWithUndo}
        onBan={(author, minutes) => moderate({ type: 'ban', user: author, ...(minutes !== undefined && { until: unixNow() + minutes * 60 }) })}
      />
    </section>
  );
}

import { Flag, Music, Reply, VolumeX } from 'lucide-react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Coordinate } from '../../../../src/protocol/coordinate';
import type { EventTemplate } from '../../../../src/protocol/event-template';
import { buildLiveChat, MAX_CHAT_LENGTH, type LiveChatMessage } from '../../../../src/protocol/live-chat';
import { buildModeration } from '../../../../src/protocol/moderation';
import { buildReaction } from '../../../../src/protocol/reaction';
import { buildReport } from '../../../../src/protocol/report';
import { unixNow } from '../../../../src/protocol/time';
import type { Zap } from '../../../../src/protocol/zap';
import { useMuteList } from '../../lib/mute-list';
import type { ChatChannel } from '../../lib/chat-channel';
import type { ChatNotice } from '../../lib/now-playing';
import { useSession } from '../../lib/session';
import { UserBadge } from '../avatar';
import { SignInDialog } from '../sign-in-dialog';
import { Button } from '../ui/button';
import { Input } from '../ui/input';
import { Linkified } from './linkify';
import { ZapButton } from '../zap/zap-dialog';
import { ZapLine } from './zap-line';
import { ReportDialog } from './report-dialog';
import { useChat } from './use-chat';

const EMOJI = ['🔥', '❤️', '😂', '👏', '🎉'];
/** The time-out lengths a host can choose, in minutes. */
const TIME_OUT_MINUTES = [1, 5, 10, 30, 60];

export interface ChatPanelProps {
  readonly stream: Coordinate;
  /** Where the chat is read and sent (a private stream's: this service's relay, with its token). */
  readonly channel: ChatChannel;
  readonly hostPubkey: string;
  readonly chatEnabled: boolean;
  readonly moderators?: readonly string[];
  /** Show remove/ban controls (the host's dashboard). */
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

type Entry = { readonly message: LiveChatMessage } | { readonly notice: ChatNotice } | { readonly zap: Zap };

/** Messages, zaps and notices in time order; a notice comes after the messages of its own second. */
function interleave(messages: readonly LiveChatMessage[], zaps: readonly Zap[], notices: readonly ChatNotice[]): Entry[] {
  const timed = [
    ...messages.map((message) => ({ at: message.createdAt, late: 0, entry: { message } })),
    ...zaps.map((zap) => ({ at: zap.paidAt, late: 0, entry: { zap } })),
    ...notices.map((notice) => ({ at: notice.at, late: 1, entry: { notice } })),
  ];
  // Sorting is stable: messages of one second keep their order.
  return timed.sort((a, b) => a.at - b.at || a.late - b.late).map((item) => item.entry);
}

/**
 * A stream's live chat: history and live messages, replies, reactions, report and mute,
 * sending signed by the user's signer; read-only with a sign-in prompt when signed out.
 */
export function ChatPanel({ stream, channel, hostPubkey, chatEnabled, moderators = [], moderator, viewers, listening = false, notices = [], zaps = [], zapRelays }: ChatPanelProps) {
  const session = useSession();
  const { muted, ready: muteListReady, mute } = useMuteList();
  const { messages, reactions, removed } = useChat(stream, channel, [hostPubkey, ...moderators]);
  const [replyTo, setReplyTo] = useState<LiveChatMessage>();
  const [reporting, setReporting] = useState<LiveChatMessage>();
  const [error, setError] = useState<string>();
  const [timeOutMinutes, setTimeOutMinutes] = useState(10);
  const list = useRef<HTMLOListElement>(null);
  // The one report dialog serves every message: it gives focus back to the Report button that opened it.
  const reportOpener = useRef<HTMLButtonElement | null>(null);
  // The panel mounts twice on the stream page (desktop aside, phone drawer): ids must differ.
  const inputId = useId();
  const timeOutId = useId();

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
  const send = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const content = String(new FormData(form).get('message') ?? '').trim();
    if (!content) return;
    const reply = replyTo && { id: replyTo.id, author: replyTo.author };
    act(async () => {
      await publish(buildLiveChat({ stream, content, ...(reply && { replyTo: reply }) }, unixNow()));
      form.reset();
      setReplyTo(undefined);
    });
  };
  const byId = new Map(messages.map((message) => [message.id, message]));
  const shown = messages.filter((message) => !muted.has(message.author));
  const shownReactions = reactions.filter((reaction) => !muted.has(reaction.author));
  // A hidden zap leaves the chat only: it was paid, so the totals still count it.
  const shownZaps = zaps.filter((zap) => !removed.has(zap.receiptId));
  const remove = (id: string) => act(() => publish(buildModeration({ stream, action: { type: 'remove', messages: [id] } }, unixNow())));

  return (
    <section aria-label="Live chat" className="flex h-full min-h-0 flex-col rounded-lg border border-border bg-surface">
      <header className="flex items-center justify-between border-b border-border px-3 py-2 text-sm">
        <h2 className="font-semibold">Live chat</h2>
        {viewers !== undefined && <span className="text-muted">{viewers} {listening ? 'listening' : 'watching'}</span>}
      </header>
      {moderator && (
        <div className="flex items-center gap-2 border-b border-border px-3 py-1 text-xs text-muted">
          <label htmlFor={timeOutId}>Time-outs last</label>
          <select
            id={timeOutId}
            value={timeOutMinutes}
            onChange={(event) => setTimeOutMinutes(Number(event.target.value))}
            className="h-7 rounded-md border border-border bg-surface px-2 text-xs text-foreground"
          >
            {TIME_OUT_MINUTES.map((minutes) => (
              <option key={minutes} value={minutes}>
                {minutes} min
              </option>
            ))}
          </select>
        </div>
      )}
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
        className="flex-1 space-y-2 overflow-y-auto p-3 focus-visible:outline focus-visible:outline-2 focus-visible:outline-accent"
        aria-live="polite"
      >
        {interleave(shown, shownZaps, notices).map((entry) => {
          if ('zap' in entry) {
            const { receiptId } = entry.zap;
            const hide =
              moderator && session.pubkey ? (
                <Button size="sm" variant="ghost" title="Hide this zap's line from the chat; its sats still count" onClick={() => remove(receiptId)}>
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
          // A reply still shows, but not the words of someone this user muted.
          const parent = quoted && !muted.has(quoted.author) ? quoted : undefined;
          return (
            <li key={message.id} data-testid="chat-message" className="group text-sm">
              {parent && <p className="truncate border-l-2 border-border pl-2 text-xs text-muted">↪ {parent.content}</p>}
              <div className="flex items-start gap-2">
                <UserBadge pubkey={message.author} className="max-w-32 shrink-0" />
                <p className="min-w-0 flex-1 break-words">
                  <Linkified text={message.content} />
                </p>
              </div>
              {session.pubkey && (
                <div className="mt-1 flex flex-wrap gap-1 opacity-70 group-hover:opacity-100">
                  <Button size="sm" variant="ghost" aria-label="Reply" onClick={() => setReplyTo(message)}>
                    <Reply className="h-3 w-3" />
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label="Report"
                    onClick={(event) => {
                      reportOpener.current = event.currentTarget;
                      setReporting(message);
                    }}
                  >
                    <Flag className="h-3 w-3" />
                  </Button>
                  {zapRelays && message.author !== session.pubkey && (
                    <ZapButton stream={stream} recipient={message.author} event={message.id} relays={zapRelays} channel={channel} compact />
                  )}
                  {message.author !== session.pubkey && (
                    <Button size="sm" variant="ghost" aria-label="Mute this user" disabled={!muteListReady} onClick={() => act(() => mute(message.author))}>
                      <VolumeX className="h-3 w-3" />
                    </Button>
                  )}
                  {moderator && (
                    <>
                      <Button size="sm" variant="ghost" onClick={() => remove(message.id)}>
                        Remove
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => act(() => publish(buildModeration({ stream, action: { type: 'ban', user: message.author, until: unixNow() + timeOutMinutes * 60 } }, unixNow())))}
                      >
                        Time out {timeOutMinutes} min
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => act(() => publish(buildModeration({ stream, action: { type: 'ban', user: message.author } }, unixNow())))}>
                        Ban
                      </Button>
                    </>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <footer className="space-y-2 border-t border-border p-3">
        {error && <p role="alert" className="text-xs text-live">{error}</p>}
        {!chatEnabled ? (
          <p className="text-sm text-muted">Chat is turned off for this stream.</p>
        ) : session.pubkey ? (
          <>
            <div className="flex gap-1" aria-label="React">
              {EMOJI.map((emoji) => (
                <Button key={emoji} size="sm" variant="ghost" aria-label={`React ${emoji}`} onClick={() => act(() => publish(buildReaction({ target: { stream, author: hostPubkey }, emoji }, unixNow())))}>
                  {emoji}
                </Button>
              ))}
            </div>
            {replyTo && (
              <p className="flex items-center justify-between text-xs text-muted">
                Replying to “{replyTo.content.slice(0, 40)}”
                <Button size="sm" variant="ghost" onClick={() => setReplyTo(undefined)}>
                  Cancel
                </Button>
              </p>
            )}
            <form onSubmit={send} className="flex gap-2">
              <label htmlFor={inputId} className="sr-only">
                Message
              </label>
              <Input id={inputId} name="message" placeholder="Say something…" maxLength={MAX_CHAT_LENGTH} autoComplete="off" />
              <Button type="submit">Send</Button>
            </form>
          </>
        ) : (
          <div className="flex items-center justify-between gap-2 text-sm text-muted">
            Sign in to chat <SignInDialog label="Sign in to chat" />
          </div>
        )}
      </footer>
      <ReportDialog
        opener={reportOpener}
        open={reporting !== undefined}
        onOpenChange={(open) => !open && setReporting(undefined)}
        onReport={(reason) =>
          reporting ? publish(buildReport({ user: reporting.author, message: reporting.id, stream, reason }, unixNow())) : Promise.resolve()
        }
      />
    </section>
  );
}

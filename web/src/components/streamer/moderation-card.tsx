import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Coordinate } from '../../../../src/protocol/coordinate';
import { buildDeletion } from '../../../../src/protocol/deletion';
import type { EventTemplate } from '../../../../src/protocol/event-template';
import { KIND } from '../../../../src/protocol/kinds';
import { parseLiveChat, type LiveChatMessage } from '../../../../src/protocol/live-chat';
import { buildModeration, type Moderation } from '../../../../src/protocol/moderation';
import type { ActiveBan } from '../../../../src/protocol/moderation-state';
import { unixNow } from '../../../../src/protocol/time';
import type { ChatChannel } from '../../lib/chat-channel';
import { readAsModerator } from '../../lib/moderator-read';
import { useSession } from '../../lib/session';
import { UserBadge } from '../avatar';
import { useModeration } from '../chat/use-moderation';
import { formatStartTime } from '../discovery/start-time';
import { Button } from '../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';

export interface ModerationCardProps {
  readonly stream: Coordinate;
  readonly channel: ChatChannel;
  readonly host: string;
  readonly moderators: readonly string[];
  /** This service's relay, which serves removed messages to the stream's host and moderators. */
  readonly relay: string | undefined;
}

/**
 * Chat moderation that undoes, on the dashboard: who is banned or timed out (and when the
 * time-out ends, in local time) with Unban / Lift time-out (kind 9000), and the removed
 * messages with Restore: a NIP-09 deletion of one's own removal (kind 9005), after which
 * relays serve the message again and every chat shows it again.
 */
export function ModerationCard({ stream, channel, host, moderators, relay }: ModerationCardProps) {
  const { signer, pubkey } = useSession();
  const { state } = useModeration(stream, channel, [host, ...moderators]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const now = useClock();
  const bans = state.bans(now);
  const removals = state.removals;
  const removedIds = removals.flatMap((removal) => (removal.action.type === 'remove' ? removal.action.messages : []));
  const { messages: texts, loading } = useRemovedMessages(relay, removedIds);

  const publish = async (key: string, template: EventTemplate) => {
    if (!signer) return setError('Sign in as the stream\'s host or a moderator.');
    setBusy(key);
    setError(undefined);
    try {
      await channel.publish(await signer.signEvent(template));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(undefined);
    }
  };
  const unban = (ban: ActiveBan) => publish(ban.user, buildModeration({ stream, action: { type: 'unban', user: ban.user } }, unixNow()));
  const restore = (removal: Moderation) =>
    publish(removal.id, buildDeletion({ events: [removal.id], kinds: [KIND.chatRemoval], reason: 'restored by the moderator' }, unixNow()));

  return (
    <Card data-testid="moderation-card">
      <CardHeader>
        <CardTitle>Moderation</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-4 text-sm">
        <div className="grid gap-2">
          <h3 className="font-medium">
            Banned and timed out ({bans.length})
          </h3>
          {bans.length === 0 && <p className="text-muted">Nobody is banned or timed out.</p>}
          <ul className="grid gap-2">
            {bans.map((ban) => (
              <li key={ban.user} data-testid="moderation-ban" className="flex flex-wrap items-center gap-2">
                <UserBadge pubkey={ban.user} />
                <span className="text-muted">
                  {ban.until === undefined ? (
                    'Banned'
                  ) : (
                    <>
                      Time-out ends <time dateTime={new Date(ban.until * 1000).toISOString()}>{formatStartTime(ban.until, new Date(now * 1000))}</time>
                    </>
                  )}
                </span>
                <Button size="sm" variant="secondary" className="ml-auto" disabled={busy === ban.user} onClick={() => void unban(ban)}>
                  {ban.until === undefined ? 'Unban' : 'Lift time-out'}
                </Button>
              </li>
            ))}
          </ul>
        </div>
        <div className="grid gap-2">
          <h3 className="font-medium">
            Removed messages ({removedIds.length})
          </h3>
          {removals.length === 0 && <p className="text-muted">No messages removed.</p>}
          <ul className="grid gap-2">
            {removals.map((removal) => (
              <RemovedEntry
                key={removal.id}
                removal={removal}
                texts={texts}
                loading={loading}
                // Only a removal's author can withdraw it (NIP-09 deletes one's own events).
                restorable={removal.moderator === pubkey}
                busy={busy === removal.id}
                onRestore={() => void restore(removal)}
              />
            ))}
          </ul>
        </div>
        {error && <p role="alert" className="text-live">{error}</p>}
      </CardContent>
    </Card>
  );
}

interface RemovedEntryProps {
  readonly removal: Moderation;
  readonly texts: ReadonlyMap<string, LiveChatMessage>;
  readonly loading: boolean;
  readonly restorable: boolean;
  readonly busy: boolean;
  readonly onRestore: () => void;
}

function RemovedEntry({ removal, texts, loading, restorable, busy, onRestore }: RemovedEntryProps) {
  const ids = removal.action.type === 'remove' ? removal.action.messages : [];
  return (
    <li data-testid="moderation-removed" className="flex flex-wrap items-start gap-2">
      <div className="grid min-w-0 flex-1 gap-1">
        {ids.map((id) => {
          const message = texts.get(id);
          return message ? (
            <p key={id} className="flex min-w-0 flex-wrap items-center gap-2">
              <UserBadge pubkey={message.author} />
              <span className="break-words">{message.content}</span>
            </p>
          ) : (
            <p key={id} className="text-muted">
              {loading ? 'Reading the message…' : 'A message this relay does not have'}
            </p>
          );
        })}
        {removal.reason && <p className="text-muted">Reason: {removal.reason}</p>}
      </div>
      {restorable ? (
        <Button size="sm" variant="secondary" disabled={busy} onClick={onRestore}>
          Restore
        </Button>
      ) : (
        <span className="text-muted">Removed by a moderator: only they can restore it.</span>
      )}
    </li>
  );
}

/** The removed messages themselves: the relay keeps them from everyone but the host and moderators, so they are read as one (NIP-42). */
function useRemovedMessages(relay: string | undefined, ids: readonly string[]): { messages: ReadonlyMap<string, LiveChatMessage>; loading: boolean } {
  const { signer, pubkey } = useSession();
  const sorted = [...new Set(ids)].sort();
  const { data, isFetching } = useQuery({
    queryKey: ['removed-messages', relay, pubkey, sorted.join(',')],
    enabled: Boolean(relay && signer && sorted.length > 0),
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () => {
      if (!relay || !signer) return new Map<string, LiveChatMessage>();
      const events = await readAsModerator(relay, signer, { ids: sorted, kinds: [KIND.liveChat] });
      const messages = new Map<string, LiveChatMessage>();
      for (const event of events) {
        const parsed = parseLiveChat(event);
        if (parsed.ok) messages.set(parsed.value.id, parsed.value);
      }
      return messages;
    },
  });
  return { messages: data ?? new Map(), loading: isFetching };
}

/** Now in Unix seconds, every 15 s: a time-out that has ended leaves the list soon after. */
function useClock(): number {
  const [now, setNow] = useState(unixNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(unixNow()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

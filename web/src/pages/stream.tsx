import { MessageSquare, PanelRightClose, PanelRightOpen, Users } from 'lucide-react';
import { useCallback, useId, useState } from 'react';
import { useParams } from 'wouter';
import type { StreamType } from '../../../src/protocol/api-views';
import { liveEventCoordinate, type Coordinate } from '../../../src/protocol/coordinate';
import { KIND } from '../../../src/protocol/kinds';
import { hasRole, MODERATOR_ROLE } from '../../../src/protocol/live-event';
import { decodeLiveEventAddress, encodeLiveEventAddress } from '../../../src/protocol/naddr';
import { UserBadge } from '../components/avatar';
import { ChatPanel } from '../components/chat/chat-panel';
import { WhoIsHere } from '../components/presence/who-is-here';
import { FollowButton } from '../components/follow-button';
import { ListeningPlayer, NowPlayingLine } from '../components/listening-player';
import { Player } from '../components/player';
import { ZapButton } from '../components/zap/zap-dialog';
import { GoalBar } from '../components/zap/goal-bar';
import { ZapSummary } from '../components/zap/zap-summary';
import { Badge } from '../components/ui/badge';
import { Button } from '../components/ui/button';
import { Dialog, DialogContent, DialogTitle, DialogTrigger } from '../components/ui/dialog';
import { ApiError } from '../lib/api';
import { useChatChannel } from '../lib/chat-channel';
import { isReallyLive, useLiveEvents } from '../lib/live-events';
import { useRelays, useServiceInfo } from '../lib/nostr';
import { trackOfEvent, useNowPlaying } from '../lib/now-playing';
import { useStreamZaps } from '../lib/stream-zaps';
import { tokenOf, useStream, useStreamFeed, withToken } from '../lib/streams';
import { NotFoundPage } from './not-found';

/** `/stream/<naddr>`: any NIP-53 stream. */
export function StreamByAddressPage() {
  const { naddr = '' } = useParams<{ naddr: string }>();
  const decoded = decodeLiveEventAddress(naddr);
  if (!decoded.ok) return <NotFoundPage />;
  return <StreamView coordinate={decoded.value.coordinate} hints={[...decoded.value.relays]} />;
}

/** `/s/<stream id>`: one of ours by id (and private streams through their shared link's token). */
export function StreamByIdPage() {
  const { id = '' } = useParams<{ id: string }>();
  const info = useServiceInfo();
  // Its 30311's author (the service's key, or the streamer's own) is the stream's to say; one the API does not know is looked for under the service's.
  const stream = useStream(id, tokenOf(window.location.href));
  // Once answered, the page stays: StreamView's own reader of a refused (404) lookup asks again when it mounts, and that must not unmount it.
  const [answeredFor, setAnsweredFor] = useState<string>();
  if (!stream.isPending && answeredFor !== id) setAnsweredFor(id);
  if (!info.data || answeredFor !== id) return null;
  return <StreamView coordinate={liveEventCoordinate(stream.data?.event_pubkey ?? info.data.pubkey, id)} hints={[]} />;
}

/** What the page reads from the API for a coordinate that is not one of our streams. */
const NOT_OURS = { data: undefined, error: null } as const;

function StreamView({ coordinate, hints }: { coordinate: Coordinate; hints: string[] }) {
  const ownRelays = useRelays();
  const info = useServiceInfo();
  const relays = [...new Set([...ownRelays, ...hints])];
  const [event] = useLiveEvents(relays, { kinds: [KIND.liveEvent], authors: [coordinate.pubkey], '#d': [coordinate.identifier] });
  const token = tokenOf(window.location.href);
  // A stream of ours is signed by the service's key or by its streamer's: the API says which, and only that author's coordinate is ours
  // (another key's event with one of our ids is someone else's).
  const lookup = useStream(coordinate.identifier, token);
  const ours = lookup.data ? lookup.data.event_pubkey === coordinate.pubkey : info.data?.pubkey === coordinate.pubkey;
  const api = ours ? lookup : NOT_OURS;
  const feed = useStreamFeed(ours ? coordinate.identifier : undefined, token);
  const [chatOpen, setChatOpen] = useState(false);
  // Desktop only: the chat column can be folded away so the video takes the whole width.
  const [chatCollapsed, setChatCollapsed] = useState(false);
  const asideId = useId();
  // What the playlist carries, once a player has read it: it outranks what the stream says it sends.
  const [sends, setSends] = useState<StreamType>();
  const showListening = useCallback(() => setSends('audio'), []);
  const showVideo = useCallback(() => setSends('video'), []);
  // Ours: the API's answer and the feed (the track's own start time); another service's: its 30311's tag.
  const { track, notices } = useNowPlaying(ours ? api.data?.now_playing : trackOfEvent(event), feed.track);

  // Our private streams have no public event: the API (with the shared link's token) describes them.
  const title = event?.title ?? api.data?.title ?? 'Stream';
  const host = event?.host ?? api.data?.pubkey;
  const live = event ? isReallyLive(event) : api.data?.status === 'live' || api.data?.status === 'reconnecting';
  const ended = event?.status === 'ended' || api.data?.status === 'ended';
  const streaming = event?.streaming ?? (api.data && live ? api.data.hls_playback : undefined);
  const source = ended ? (event?.recording ?? api.data?.recording_url ?? undefined) : streaming;
  const src = withToken(source, token);
  const listening = (sends ?? api.data?.stream_type ?? event?.streamingType) === 'audio';
  const viewers = feed.viewers?.current ?? event?.currentParticipants ?? api.data?.current_viewers;
  const moderators = event?.participants.filter((participant) => hasRole(participant, MODERATOR_ROLE)).map((participant) => participant.pubkey) ?? [];
  // Ours, no public event, and the API says no: a guessed id, or a private link without (or with a stale) token.
  const unavailable = ours && !event && api.error instanceof ApiError && api.error.status === 404;
  // A private stream's chat is read on this service's relay with the link's token (the owner's own link when they have none).
  // Until the API has said whether one of ours is private, its chat is not asked for anywhere.
  const isPrivate = api.data?.visibility === 'private';
  const chatToken = token ?? tokenOf(api.data?.share_url);
  const channel = useChatChannel(
    coordinate,
    !event && (lookup.isPending || (ours && !api.data)) ? [] : relays,
    isPrivate && info.data ? { relay: info.data.relay, token: chatToken } : undefined,
  );
  // Receipts are believed only from their recipient's LNURL server; the zap's receipt goes to ours and the stream's relays.
  const zaps = useStreamZaps(coordinate, channel, host);
  const zapRelays = [...new Set([...ownRelays, ...(event?.relays ?? [])])];
  // A private stream takes no zaps: a receipt is public, and would tell everyone the stream exists (our relay refuses them).
  const zappable = !isPrivate;
  const chat = host ? (
    <ChatPanel
      stream={coordinate}
      channel={channel}
      hostPubkey={host}
      moderators={moderators}
      chatEnabled={api.data?.enable_chat ?? true}
      notices={notices}
      listening={listening}
      zaps={zaps.zaps}
      {...(zappable && { zapRelays })}
      {...(viewers !== undefined && { viewers })}
    />
  ) : null;

  return (
    <div className={chatCollapsed ? 'grid gap-4' : 'grid gap-4 lg:grid-cols-[1fr_22rem]'}>
      <div className="min-w-0 space-y-3">
        {src && listening && host ? (
          <ListeningPlayer
            key={src}
            src={src}
            title={title}
            host={host}
            covers={[event?.image, event?.thumbnail, api.data?.image_url, api.data?.thumbnail_url]}
            track={track}
            onReport={(report) => feed.send(report)}
            onPicture={showVideo}
          />
        ) : src ? (
          <Player
            key={src}
            src={src}
            title={title}
            whepUrl={live ? withToken(api.data?.whep_url, token) : undefined}
            onReport={(report) => feed.send(report)}
            onAudioOnly={showListening}
          />
        ) : (
          <div className="flex aspect-video items-center justify-center rounded-lg bg-surface text-center text-muted">
            {unavailable
              ? 'This stream is not available: it does not exist, or it is private and needs the link its host shared.'
              : ended
                ? 'This stream has ended.'
                : event || api.data
                  ? 'This stream has not started yet.'
                  : 'Looking for this stream…'}
          </div>
        )}
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">{title}</h1>
          {live && <Badge variant="live">Live</Badge>}
          {ended && <Badge variant="outline">Ended</Badge>}
          {viewers !== undefined && (
            <span className="text-sm text-muted" data-testid="stream-viewers">
              <Users className="mr-1 inline h-4 w-4" aria-hidden />
              {viewers} {listening ? 'listening' : 'watching'}
            </span>
          )}
          <WhoIsHere stream={coordinate} relays={relays} listening={listening} channel={channel} />
          {/* Phones: the chat is a drawer; its button is the trigger, so closing the drawer gives focus back to it. */}
          <Dialog open={chatOpen} onOpenChange={setChatOpen}>
            <DialogTrigger asChild>
              <Button className="ml-auto lg:hidden" size="sm" variant="secondary">
                <MessageSquare className="h-4 w-4" aria-hidden /> Chat
              </Button>
            </DialogTrigger>
            {/* pt-10: the drawer's Close sits above the chat's header, not on its viewer count. */}
            <DialogContent side="bottom" className="p-2 pt-10" aria-describedby={undefined}>
              <DialogTitle className="sr-only">Live chat</DialogTitle>
              {chat}
            </DialogContent>
          </Dialog>
          <Button
            className="ml-auto hidden lg:inline-flex"
            size="sm"
            variant="secondary"
            aria-expanded={!chatCollapsed}
            aria-controls={asideId}
            onClick={() => setChatCollapsed(!chatCollapsed)}
          >
            {chatCollapsed ? <PanelRightOpen className="h-4 w-4" aria-hidden /> : <PanelRightClose className="h-4 w-4" aria-hidden />}
            {chatCollapsed ? 'Show chat' : 'Hide chat'}
          </Button>
        </div>
        {host && (
          <div className="flex flex-wrap items-center gap-3">
            <UserBadge pubkey={host} />
            <FollowButton pubkey={host} />
            {zappable && <ZapButton stream={coordinate} recipient={host} relays={zapRelays} channel={channel} />}
          </div>
        )}
        {zappable && (
          <>
            <ZapSummary zaps={zaps} />
            <GoalBar
              id={event?.goal ?? api.data?.goal ?? undefined}
              host={host}
              channel={channel}
              zaps={zaps.zaps}
              // Another service's stream says when it ended by its ends tag, else by when it said so.
              endedAt={ended ? (api.data?.ended_at ?? event?.ends ?? event?.createdAt ?? null) : null}
            />
          </>
        )}
        {!isPrivate && (event || api.data) && (
          // Its address for other Nostr clients: the coordinate of its real author.
          <a href={`nostr:${encodeLiveEventAddress(coordinate, relays.slice(0, 2))}`} className="text-sm text-muted underline hover:text-accent" data-testid="nostr-address">
            Open in a Nostr app
          </a>
        )}
        {track && !listening && <NowPlayingLine track={track} />}
        {(event?.summary ?? api.data?.description) && <p className="text-sm text-muted">{event?.summary ?? api.data?.description}</p>}
        <div className="flex flex-wrap gap-1">
          {(event?.hashtags ?? api.data?.tags ?? []).map((tag) => (
            <Badge key={tag} variant="outline">
              #{tag}
            </Badge>
          ))}
        </div>
      </div>
      <aside id={asideId} className={chatCollapsed ? 'hidden' : 'hidden h-[70vh] lg:block'}>
        {chat}
      </aside>
    </div>
  );
}

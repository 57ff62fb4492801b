import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useParams } from 'wouter';
import { liveEventCoordinate, type Coordinate } from '../../../src/protocol/coordinate';
import { ChatPanel } from '../components/chat/chat-panel';
import { CopyField } from '../components/copy-field';
import { Player } from '../components/player';
import { AudioPreview } from '../components/streamer/audio-preview';
import { IngestHealthCard } from '../components/streamer/ingest-health';
import { ForwardingCard } from '../components/streamer/forwarding-card';
import { GoalCard } from '../components/streamer/goal-card';
import { NowPlayingCard } from '../components/streamer/now-playing-card';
import { ObsConnection } from '../components/streamer/obs-connection';
import { ModerationCard } from '../components/streamer/moderation-card';
import { ReportsCard } from '../components/streamer/reports-card';
import { ScheduleCard } from '../components/streamer/schedule-card';
import { SignerCard } from '../components/streamer/signer-card';
import { StatusPill } from '../components/streamer/status-pill';
import { StreamInfoForm } from '../components/streamer/stream-info-form';
import { StreamTypeMismatch } from '../components/streamer/stream-type-mismatch';
import { Uptime } from '../components/stream/uptime';
import { ZapsCard } from '../components/streamer/zaps-card';
import { Button } from '../components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from '../components/ui/dialog';
import { api, ApiError } from '../lib/api';
import { useChatChannel, type ChatChannel } from '../lib/chat-channel';
import { useRelays, useServiceInfo } from '../lib/nostr';
import { useDocumentTitle } from '../lib/use-document-title';
import { useSession } from '../lib/session';
import { publicLinkOf } from '../lib/share-links';
import { useStreamZaps, type StreamZaps } from '../lib/stream-zaps';
import { tokenOf, useStream, useStreamFeed, withToken } from '../lib/streams';

/** A private stream's WHEP endpoint takes the playback token as its HLS does. */
/** The stream's zaps, read once for the Goal card, the Zaps card and the chat. */
function WithZaps({ stream, channel, host, children }: { stream: Coordinate; channel: ChatChannel; host: string; children: (zaps: StreamZaps) => ReactNode }) {
  return children(useStreamZaps(stream, channel, host));
}

/** The streamer's control room: OBS connection, preview, Start/Pause/End, viewers, health, chat. */
export function DashboardPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { signer, restoring } = useSession();
  const info = useServiceInfo();
  const relays = useRelays();
  const queryClient = useQueryClient();
  const stream = useStream(id);
  // A private stream's feed needs a token too; the owner's preview link carries one.
  const feedToken = stream.data?.visibility === 'private' ? tokenOf(stream.data.preview_url) : undefined;
  const feed = useStreamFeed(id, feedToken);
  // The 30311's author: the service's key or, for a streamer-signed stream, the streamer's own.
  const coordinate = stream.data ? liveEventCoordinate(stream.data.event_pubkey, id) : undefined;
  // A private stream's chat and reports are read with the owner's preview token, like its feed.
  const channel = useChatChannel(
    coordinate,
    stream.data ? relays : [],
    stream.data?.visibility === 'private' && info.data ? { relay: info.data.relay, token: feedToken } : undefined,
  );
  const [error, setError] = useState<string>();
  const [confirmEnd, setConfirmEnd] = useState(false);
  useDocumentTitle(stream.data?.title, 'Dashboard');

  // Notices the encoder within seconds even if a feed message is missed.
  useEffect(() => {
    if (stream.data?.status !== 'created') return;
    const timer = setInterval(() => void stream.refetch(), 3000);
    return () => clearInterval(timer);
  }, [stream.data?.status, stream]);

  if (!signer) return <p className="text-muted">{restoring ? 'Signing you back in…' : "Sign in as the stream's owner to open its dashboard."}</p>;
  if (stream.error) return <p role="alert" className="text-live">{stream.error.message}</p>;
  const data = stream.data;
  if (!data || !coordinate) return <p className="text-muted">Loading…</p>;
  const isPrivate = data.visibility === 'private';

  const act = async (path: string) => {
    setError(undefined);
    try {
      await api(`/api/v1/streams/${id}/${path}`, { method: 'POST', signer });
      await queryClient.invalidateQueries({ queryKey: ['stream', id] });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  };
  const viewers = feed.viewers?.current ?? data.current_viewers;
  const health = feed.health ?? data.ingest;
  const onAir = data.status === 'live' || data.status === 'reconnecting';
  const listening = (health?.sending ?? data.stream_type) === 'audio';

  return (
    <WithZaps stream={coordinate} channel={channel} host={data.pubkey}>
      {(zaps) => (
        <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
          <div className="min-w-0 space-y-4">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="text-xl font-semibold">{data.title}</h1>
              <StatusPill stream={data} />
              {onAir && data.started_at !== null && <Uptime since={data.started_at} />}
              <span className="text-sm text-muted">
                <span data-testid="viewer-count">{viewers}</span> {listening ? 'listening' : 'watching'}
              </span>
            </div>
            {data.status === 'connected' || onAir ? (
              data.preview_url &&
              // What arrives decides, as on the stream page: an encoder sending sound only gets the sound's preview whatever the type says.
              ((health?.sending ?? data.stream_type) === 'audio' ? (
                <AudioPreview key={data.preview_url.split('?')[0]} src={data.preview_url} covers={[data.image_url, data.thumbnail_url]} />
              ) : (
                <Player key={data.preview_url.split('?')[0]} src={data.preview_url} title="Preview" showLatency whepUrl={withToken(data.whep_url, feedToken)} />
              ))
            ) : (
              <div className="flex aspect-video items-center justify-center rounded-lg bg-surface p-6 text-center text-muted">
                {data.status === 'ended' ? 'This stream has ended.' : 'Start streaming in OBS: the preview appears here.'}
              </div>
            )}
            <div className="flex flex-wrap gap-2">
              {data.status !== 'ended' && !onAir && (
                <Button disabled={data.status !== 'connected'} onClick={() => void act('start')}>
                  Start broadcast
                </Button>
              )}
              {onAir && (
                // "broadcast" tells it apart from the preview player's own pause.
                <Button variant="secondary" onClick={() => void act(data.paused ? 'resume' : 'pause')}>
                  {data.paused ? 'Resume broadcast' : 'Pause broadcast'}
                </Button>
              )}
              {data.status !== 'ended' && (
                // The button is the dialog's trigger, so closing the dialog gives focus back to it.
                <Dialog open={confirmEnd} onOpenChange={setConfirmEnd}>
                  <DialogTrigger asChild>
                    <Button variant="destructive">End stream</Button>
                  </DialogTrigger>
                  <DialogContent>
                    <DialogHeader>
                      <DialogTitle>End the stream?</DialogTitle>
                      <DialogDescription>Viewers see that it ended; a recording is kept if you chose one.</DialogDescription>
                    </DialogHeader>
                    <Button
                      variant="destructive"
                      onClick={() => {
                        setConfirmEnd(false);
                        void act('stop');
                      }}
                    >
                      End stream now
                    </Button>
                  </DialogContent>
                </Dialog>
              )}
              {data.status === 'ended' && (
                <Button asChild variant="secondary">
                  <Link href={`/analytics/${id}`}>See analytics</Link>
                </Button>
              )}
            </div>
            {/* Ready to paste: the private stream's shared link (with its token), else its public page. */}
            <CopyField id="public-link" label={data.share_url ? 'Private link (anyone with it can watch)' : 'Public link'} value={publicLinkOf(data)} />
            {error && <p role="alert" className="text-sm text-live">{error}</p>}
            <StreamTypeMismatch stream={data} sending={health?.sending} />
            <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
              <ObsConnection stream={data} />
              <div className="space-y-4">
                <IngestHealthCard health={health} />
                <NowPlayingCard stream={data} />
                <GoalCard stream={data} channel={channel} relays={relays} zaps={zaps.zaps} />
                <SignerCard stream={data} />
                <ForwardingCard stream={data} />
                <ScheduleCard stream={data} />
                {data.status !== 'ended' && <StreamInfoForm stream={data} />}
                <ReportsCard stream={coordinate} channel={channel} />
                <ModerationCard stream={coordinate} channel={channel} host={data.pubkey} moderators={data.moderators ?? []} relay={info.data?.relay} />
                <ZapsCard zaps={zaps} host={data.pubkey} isPrivate={isPrivate} />
              </div>
            </div>
          </div>
          <aside className="h-[70vh]">
            <ChatPanel
              stream={coordinate}
              channel={channel}
              hostPubkey={data.pubkey}
              moderators={data.moderators ?? []}
              chatEnabled={data.enable_chat}
              moderator
              viewers={viewers}
              listening={listening}
              zaps={zaps.zaps}
              // The host zaps their chatters from here too (never themselves); a private stream takes no zaps.
              {...(!isPrivate && { zapRelays: relays })}
            />
          </aside>
        </div>
      )}
    </WithZaps>
  );
}

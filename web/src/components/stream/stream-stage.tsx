import { Loader2 } from 'lucide-react';
import { cn } from '../../lib/cn';
import { ListeningPlayer } from '../listening-player';
import { Player } from '../player';
import { EndCard } from './end-card';
import { PlannedCard } from './planned-card';
import type { StreamPageState } from './use-stream-page';

/** Over the last frame while the encoder is away; clicks go through to the player's controls. */
function ReconnectingOverlay() {
  return (
    <div
      role="status"
      data-testid="reconnecting-overlay"
      className="pointer-events-none absolute inset-0 flex flex-col items-center justify-center gap-2 rounded-lg bg-black/60 p-4 text-center text-white"
    >
      <Loader2 className="h-6 w-6 animate-spin" aria-hidden />
      The streamer is reconnecting…
    </div>
  );
}

/**
 * The player's place on the stream page: the live player (video, or the listening player for
 * sound), the end card once it is over (and the replay when asked for), or why nothing plays.
 * `landscapeFill`: on a phone turned sideways the live player takes the whole screen.
 */
export function StreamStage({ page, landscapeFill = false }: { page: StreamPageState; landscapeFill?: boolean }) {
  const { src, host, listening, title, recording } = page;
  const playing = page.ended ? (page.replaying ? recording : undefined) : src;

  let content;
  if (playing && listening && host) {
    content = (
      <ListeningPlayer
        key={playing}
        src={playing}
        title={title}
        host={host}
        covers={[page.event?.image, page.event?.thumbnail, page.api?.image_url, page.api?.thumbnail_url]}
        track={page.track}
        onReport={(report) => page.feed.send(report)}
        onPicture={page.showVideo}
      />
    );
  } else if (playing) {
    content = (
      <Player
        key={playing}
        src={playing}
        title={page.ended ? `${title} (replay)` : title}
        whepUrl={page.whepUrl}
        reconnecting={page.reconnecting}
        onReport={(report) => page.feed.send(report)}
        onAudioOnly={page.showListening}
      />
    );
  } else if (page.ended) {
    content = (
      <EndCard
        failed={page.failed}
        startedAt={page.startedAt}
        endedAt={page.endedAt}
        onReplay={recording ? page.replay : undefined}
        current={page.coordinate}
        relays={page.relays}
      />
    );
  } else if (page.plannedStart !== undefined) {
    content = <PlannedCard starts={page.plannedStart} calendarUrl={page.calendarUrl} />;
  } else {
    content = (
      <div className="flex aspect-video items-center justify-center rounded-lg bg-surface p-4 text-center text-muted">
        {page.unavailable
          ? 'This stream is not available: it does not exist, or it is private and needs the link its host shared.'
          : page.known
            ? 'This stream has not started yet.'
            : 'Looking for this stream…'}
      </div>
    );
  }

  const fills = landscapeFill && playing !== undefined;
  return (
    <div
      className={cn(
        'relative',
        fills && 'phone-landscape:fixed phone-landscape:inset-0 phone-landscape:z-50 phone-landscape:bg-black phone-landscape:*:h-full phone-landscape:*:rounded-none',
      )}
    >
      {content}
      {page.reconnecting && src && <ReconnectingOverlay />}
    </div>
  );
}

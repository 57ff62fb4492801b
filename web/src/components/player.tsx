import { Maximize, VolumeX } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { PlaybackControls } from './playback-controls';
import { RealtimeNotice, RealtimeSwitch, useRealtime, useRealtimeVideo } from './player-realtime';
import { LatencyReadout } from './streamer/latency-readout';
import { Button } from './ui/button';
import { useHlsPlayback, type PlayerReport } from './use-hls';

export type { PlayerReport };

/**
 * The HLS video player: autoplay muted with a visible "Tap to unmute", quality choice (Auto
 * or a rendition), live-edge badge and "Go to live" (live playlists only, not recordings),
 * fullscreen, keyboard shortcuts (space/k play, m mute, f fullscreen). `onAudioOnly` hears
 * when the playlist turns out to carry sound only, so the page can show its listening player.
 * With `whepUrl` it offers a "Real-time" switch (WebRTC), falling back to LL-HLS with a notice;
 * `showLatency` overlays how far behind the streamer the picture is (the dashboard's preview).
 *
 *   <Player src={stream.streaming} whepUrl={stream.whep_url} onReport={(report) => feed.send(report)} />
 */
export function Player({
  src,
  autoPlay = true,
  title,
  onReport,
  onAudioOnly,
  whepUrl,
  showLatency = false,
}: {
  src: string;
  whepUrl?: string | null;
  showLatency?: boolean;
  autoPlay?: boolean;
  title?: string;
  onReport?: (report: PlayerReport) => void;
  onAudioOnly?: () => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const realtime = useRealtime(video, whepUrl);
  const playback = useHlsPlayback(video, src, { autoPlay, muted: true, onReport, detached: realtime.session !== undefined });
  useRealtimeVideo(video, realtime.session);
  const { levels, playing, muted, audioOnly, error, togglePlay, toggleMute } = playback;
  useEffect(() => {
    if (audioOnly) onAudioOnly?.();
  }, [audioOnly, onAudioOnly]);

  const fullscreen = () => void frame.current?.requestFullscreen?.();

  return (
    <div
      ref={frame}
      className="group relative aspect-video w-full overflow-hidden rounded-lg bg-black"
      tabIndex={0}
      role="group"
      aria-label={title ? `Video player: ${title}` : 'Video player'}
      onKeyDown={(event) => {
        if (event.target !== event.currentTarget) return;
        if (event.key === ' ' || event.key === 'k') togglePlay();
        else if (event.key === 'm') toggleMute();
        else if (event.key === 'f') fullscreen();
        else return;
        event.preventDefault();
      }}
    >
      <video ref={video} data-testid="player-video" className="h-full w-full" muted playsInline />
      {muted && playing && (
        <Button size="sm" className="absolute left-3 top-3" onClick={toggleMute}>
          <VolumeX className="h-4 w-4" aria-hidden /> Tap to unmute
        </Button>
      )}
      {showLatency && <LatencyReadout seconds={playback.latencySeconds} />}
      <RealtimeNotice notice={realtime.notice} />
      {error && <p className="absolute inset-0 flex items-center justify-center p-6 text-center text-sm text-muted">{error}</p>}
      <div className="absolute inset-x-0 bottom-0 flex items-center gap-2 bg-gradient-to-t from-black/80 to-transparent p-2">
        <PlaybackControls
          playback={playback}
          onTogglePlay={togglePlay}
          qualities={levels.map((level) => ({ value: String(level.index), label: level.name === 'source' ? 'Source' : `${level.height}p` }))}
        >
          {whepUrl && <RealtimeSwitch realtime={realtime} />}
          <Button size="icon" variant="ghost" aria-label="Fullscreen" onClick={fullscreen}>
            <Maximize className="h-4 w-4" />
          </Button>
        </PlaybackControls>
      </div>
    </div>
  );
}

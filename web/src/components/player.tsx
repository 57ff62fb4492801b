import { Maximize } from 'lucide-react';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { PlaybackControls } from './playback-controls';
import { PictureInPictureButton, usePictureInPicture } from './player/picture-in-picture';
import { SeekBar, seekWithKey } from './player/seek-bar';
import { SpeedMenu } from './player/speed-menu';
import { UnmutePill } from './player/unmute-pill';
import { useCoarsePointer } from './player/use-coarse-pointer';
import { useMediaTimeline } from './player/use-media-timeline';
import { useResume } from './player/use-resume';
import { RealtimeSwitch, useRealtime, useRealtimeVideo } from './player-realtime';
import { LatencyReadout } from './streamer/latency-readout';
import { Button } from './ui/button';
import { useHlsPlayback, type PlayerReport } from './use-hls';

export type { PlayerReport };

/**
 * The HLS video player: autoplay muted with a small "Unmute" pill in the corner, quality choice
 * (Auto or a rendition), live-edge badge and "Go to live" (live playlists only), fullscreen and
 * picture-in-picture. A recording also gets a seek bar, a speed menu and resumes where this
 * browser left it. Keys: space/k play, m mute, f fullscreen, i picture-in-picture; on a
 * recording ←/→ 5 s, j/l 10 s, Home/End, 0–9 to 0–90 %. `onAudioOnly` hears when the playlist
 * turns out to carry sound only, so the page can show its listening player. With `whepUrl` it
 * offers a "Real-time" switch (WebRTC), falling back to LL-HLS with a toast; `showLatency`
 * overlays how far behind the streamer the picture is (the dashboard's preview). While
 * `reconnecting` (the encoder dropped) it keeps the last frame without an error, and goes back
 * to the live edge by itself once the encoder is back; the page says what is happening.
 *
 *   <Player src={stream.streaming} whepUrl={stream.whep_url} reconnecting={status === 'reconnecting'} onReport={(report) => feed.send(report)} />
 */
export function Player({
  src,
  autoPlay = true,
  title,
  onReport,
  onAudioOnly,
  whepUrl,
  showLatency = false,
  reconnecting = false,
}: {
  src: string;
  whepUrl?: string | null;
  showLatency?: boolean;
  autoPlay?: boolean;
  title?: string;
  reconnecting?: boolean;
  onReport?: (report: PlayerReport) => void;
  onAudioOnly?: () => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const realtime = useRealtime(video, whepUrl);
  const playback = useHlsPlayback(video, src, { autoPlay, muted: true, onReport, reconnecting, detached: realtime.session !== undefined });
  useRealtimeVideo(video, realtime.session);
  const timeline = useMediaTimeline(video);
  const { levels, playing, muted, audioOnly, recorded, error, togglePlay, toggleMute } = playback;
  useResume(video, src, recorded);
  const pip = usePictureInPicture(video);
  const touch = useCoarsePointer();
  // A desktop's floating window; phones have their own (the system's, from fullscreen).
  const offerPip = pip.available && !touch;
  useEffect(() => {
    if (audioOnly) onAudioOnly?.();
  }, [audioOnly, onAudioOnly]);

  const fullscreen = () => void frame.current?.requestFullscreen?.();
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    if (recorded && seekWithKey(event.key, timeline)) return event.preventDefault();
    if (event.key === ' ' || event.key === 'k') togglePlay();
    else if (event.key === 'm') toggleMute();
    else if (event.key === 'f') fullscreen();
    else if (event.key === 'i' && offerPip) pip.toggle();
    else return;
    event.preventDefault();
  };

  return (
    <div
      ref={frame}
      className="group relative aspect-video w-full overflow-hidden rounded-lg bg-black"
      tabIndex={0}
      role="group"
      aria-label={title ? `Video player: ${title}` : 'Video player'}
      onKeyDown={onKeyDown}
    >
      <video ref={video} data-testid="player-video" className="h-full w-full" muted playsInline />
      {muted && playing && <UnmutePill onUnmute={toggleMute} />}
      {showLatency && <LatencyReadout seconds={playback.latencySeconds} />}
      {error && <p className="absolute inset-0 flex items-center justify-center p-6 text-center text-sm text-muted">{error}</p>}
      <div className="absolute inset-x-0 bottom-0 space-y-1 bg-gradient-to-t from-black/80 to-transparent p-2">
        {recorded && <SeekBar timeline={timeline} />}
        <div className="flex items-center gap-2">
          <PlaybackControls
            playback={playback}
            onTogglePlay={togglePlay}
            qualities={levels.map((level) => ({ value: String(level.index), label: level.name === 'source' ? 'Source' : `${level.height}p` }))}
          >
            {recorded && <SpeedMenu timeline={timeline} container={frame.current} />}
            {whepUrl && <RealtimeSwitch realtime={realtime} />}
            {offerPip && <PictureInPictureButton pip={pip} />}
            <Button size="icon" variant="ghost" aria-label="Fullscreen" onClick={fullscreen}>
              <Maximize className="h-4 w-4" />
            </Button>
          </PlaybackControls>
        </div>
      </div>
    </div>
  );
}

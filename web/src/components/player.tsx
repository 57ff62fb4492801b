import Hls from 'hls.js';
import { Maximize, Pause, Play, Radio, Volume2, VolumeX } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Button } from './ui/button';

export type PlayerReport = { type: 'buffering'; duration_ms: number } | { type: 'quality_switch'; from?: string; to: string };

interface Level {
  readonly index: number;
  /** What the quality menu shows: "Source" for the untranscoded rendition, else its height. */
  readonly label: string;
}

/** Our master playlists name each rendition (`NAME="source"`, `NAME="480p"`); others may not. */
function levelName(level: { name?: string; height: number }): string {
  return level.name || `${level.height}p`;
}

/**
 * The HLS player: hls.js (Safari's native HLS where hls.js cannot run), autoplay muted
 * with a visible "Tap to unmute", quality choice (Auto or a rendition), live-edge badge
 * and "Go to live" (live playlists only, not recordings), fullscreen, keyboard shortcuts (space/k play, m mute, f fullscreen).
 *
 *   <Player src={stream.streaming} onReport={(report) => feed.send(report)} />
 */
export function Player({ src, autoPlay = true, title, onReport }: { src: string; autoPlay?: boolean; title?: string; onReport?: (report: PlayerReport) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const hls = useRef<Hls>();
  const [levels, setLevels] = useState<Level[]>([]);
  const [quality, setQuality] = useState('auto');
  const [muted, setMuted] = useState(true);
  const [playing, setPlaying] = useState(false);
  const [behind, setBehind] = useState(false);
  // Told by the playlist itself (no ENDLIST), so a stream that ends while watched stops saying LIVE.
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string>();
  const report = useRef(onReport);
  report.current = onReport;

  useEffect(() => {
    const element = video.current;
    if (!element) return;
    setError(undefined);
    let waitingSince: number | undefined;
    const onWaiting = () => (waitingSince = Date.now());
    const onPlaying = () => {
      setPlaying(true);
      if (waitingSince !== undefined) report.current?.({ type: 'buffering', duration_ms: Date.now() - waitingSince });
      waitingSince = undefined;
    };
    const onPause = () => setPlaying(false);
    // Native HLS reports a live playlist as an infinite duration.
    const onDuration = () => setLive(element.duration === Infinity);
    element.addEventListener('waiting', onWaiting);
    element.addEventListener('playing', onPlaying);
    element.addEventListener('pause', onPause);
    if (Hls.isSupported()) {
      const instance = new Hls({ liveSyncDurationCount: 3, enableWorker: true });
      hls.current = instance;
      instance.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
        setLevels(data.levels.map((level, index) => ({ index, label: levelName(level) === 'source' ? 'Source' : `${level.height}p` })));
        if (autoPlay) void element.play().catch(() => undefined);
      });
      instance.on(Hls.Events.LEVEL_LOADED, (_event, data) => setLive(data.details.live));
      instance.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
        const level = instance.levels[data.level];
        if (level) report.current?.({ type: 'quality_switch', to: levelName(level) });
      });
      // The playlist appears a few seconds after the encoder connects: keep trying for a while.
      let retries = 0;
      instance.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR && retries < 30) {
          retries += 1;
          setTimeout(() => instance.loadSource(src), 2000);
        } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          instance.recoverMediaError();
        } else {
          setError('The stream could not be loaded; it may have ended or not started yet.');
        }
      });
      instance.loadSource(src);
      instance.attachMedia(element);
    } else if (element.canPlayType('application/vnd.apple.mpegurl')) {
      element.addEventListener('durationchange', onDuration);
      element.src = src;
      if (autoPlay) void element.play().catch(() => undefined);
    } else {
      setError('This browser cannot play HLS video.');
    }
    const edge = setInterval(() => {
      const end = element.seekable.length > 0 ? element.seekable.end(element.seekable.length - 1) : element.currentTime;
      setBehind(end - element.currentTime > 10 || element.paused);
    }, 1000);
    return () => {
      clearInterval(edge);
      element.removeEventListener('waiting', onWaiting);
      element.removeEventListener('playing', onPlaying);
      element.removeEventListener('pause', onPause);
      element.removeEventListener('durationchange', onDuration);
      hls.current?.destroy();
      hls.current = undefined;
    };
  }, [src, autoPlay]);

  const chooseQuality = (value: string) => {
    setQuality(value);
    if (hls.current) hls.current.currentLevel = value === 'auto' ? -1 : Number(value);
  };
  const togglePlay = () => {
    const element = video.current;
    if (!element) return;
    if (element.paused) void element.play();
    else element.pause();
  };
  const toggleMute = () => {
    const element = video.current;
    if (!element) return;
    element.muted = !element.muted;
    setMuted(element.muted);
  };
  const goLive = () => {
    const element = video.current;
    if (!element || element.seekable.length === 0) return;
    element.currentTime = element.seekable.end(element.seekable.length - 1) - 3;
    void element.play();
  };
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
      {error && <p className="absolute inset-0 flex items-center justify-center p-6 text-center text-sm text-muted">{error}</p>}
      <div className="absolute inset-x-0 bottom-0 flex items-center gap-2 bg-gradient-to-t from-black/80 to-transparent p-2">
        <Button size="icon" variant="ghost" aria-label={playing ? 'Pause' : 'Play'} onClick={togglePlay}>
          {playing ? <Pause className="h-4 w-4" /> : <Play className="h-4 w-4" />}
        </Button>
        <Button size="icon" variant="ghost" aria-label={muted ? 'Unmute' : 'Mute'} onClick={toggleMute}>
          {muted ? <VolumeX className="h-4 w-4" /> : <Volume2 className="h-4 w-4" />}
        </Button>
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          defaultValue={1}
          aria-label="Volume"
          className="w-20 accent-accent"
          onChange={(event) => {
            if (video.current) video.current.volume = Number(event.target.value);
          }}
        />
        {live &&
          (behind ? (
            <Button size="sm" variant="secondary" onClick={goLive}>
              Go to live
            </Button>
          ) : (
            <span className="inline-flex items-center gap-1 text-xs font-semibold text-live">
              <Radio className="h-3 w-3" aria-hidden /> LIVE
            </span>
          ))}
        <select
          aria-label="Quality"
          value={quality}
          onChange={(event) => chooseQuality(event.target.value)}
          className="ml-auto rounded bg-surface-2 px-2 py-1 text-xs"
        >
          <option value="auto">Auto</option>
          {levels.map((level) => (
            <option key={level.index} value={String(level.index)}>
              {level.label}
            </option>
          ))}
        </select>
        <Button size="icon" variant="ghost" aria-label="Fullscreen" onClick={fullscreen}>
          <Maximize className="h-4 w-4" />
        </Button>
      </div>
    </div>
  );
}

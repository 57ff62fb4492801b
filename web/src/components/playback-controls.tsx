import { Pause, Play, Radio, Volume2, VolumeX } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from './ui/button';
import type { HlsPlayback } from './use-hls';

/**
 * The row of controls both players share: play/pause, mute, volume (from the small breakpoint up), LIVE or "Go to live"
 * (live playlists only), and the quality menu (Auto, then `qualities`); `children` go last.
 *
 *   <PlaybackControls playback={playback} onTogglePlay={playback.togglePlay} qualities={[{ value: '0', label: 'Source' }]} />
 */
export function PlaybackControls({
  playback,
  onTogglePlay,
  qualities,
  prominentPlay = false,
  children,
}: {
  playback: HlsPlayback;
  onTogglePlay(): void;
  qualities: readonly { value: string; label: string }[];
  /** A filled play button (the listening player's main control) rather than a quiet one over the picture. */
  prominentPlay?: boolean;
  children?: ReactNode;
}) {
  const { playing, muted, live, behind, quality, toggleMute, setVolume, goLive, chooseQuality } = playback;
  return (
    <>
      <Button size="icon" variant={prominentPlay ? 'default' : 'ghost'} aria-label={playing ? 'Pause' : 'Play'} onClick={onTogglePlay}>
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
        // Phones set the volume with their buttons; the bar's room goes to the other controls.
        className="hidden w-20 accent-accent sm:block"
        onChange={(event) => setVolume(Number(event.target.value))}
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
      <select aria-label="Quality" value={quality} onChange={(event) => chooseQuality(event.target.value)} className="ml-auto rounded bg-surface-2 px-2 py-1 text-xs">
        <option value="auto">Auto</option>
        {qualities.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {children}
    </>
  );
}

import { Headphones, Music, Play } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TrackView } from '../../../src/protocol/api-views';
import { AUDIO_RENDITIONS } from '../../../src/media/ladder';
import { tapAudio, type AudioTap } from '../lib/audio-tap';
import { useMediaSession } from '../lib/media-session';
import { displayName, useProfile } from '../lib/profiles';
import { AudioVisualizer } from './audio-visualizer';
import { UserBadge } from './avatar';
import { Cover } from './cover';
import { PlaybackControls } from './playback-controls';
import { SeekBar, seekWithKey } from './player/seek-bar';
import { SpeedMenu } from './player/speed-menu';
import { useMediaTimeline } from './player/use-media-timeline';
import { useResume } from './player/use-resume';
import { Button } from './ui/button';
import { useHlsPlayback, type HlsLevel, type PlayerReport } from './use-hls';

const isSource = (level: HlsLevel) => level.name === AUDIO_RENDITIONS.source;
const levelLabel = (level: HlsLevel): string => (isSource(level) ? 'Source' : `${level.kbps} kbps`);
/** The menu's order: the source, then the others from the richest down (hls.js keeps them poorest first). */
const menuOrder = (levels: readonly HlsLevel[]): HlsLevel[] =>
  [...levels].sort((a, b) => Number(isSource(b)) - Number(isSource(a)) || b.kbps - a.kbps);

export interface ListeningPlayerProps {
  readonly src: string;
  readonly title: string;
  readonly host: string;
  /** Cover pictures, best first (see Cover). */
  readonly covers: readonly (string | null | undefined)[];
  readonly track: TrackView | null;
  readonly onReport?: (report: PlayerReport) => void;
  /** Hears when the playlist turns out to carry a picture after all, so the page can show its video player. */
  readonly onPicture?: () => void;
}

/**
 * The player for a stream of sound: cover art, title and host, the track playing, a live
 * level meter, play/pause, volume and mute, quality (Auto, Source, 64 kbps) and the live
 * edge. It plays in an <audio> element (no black video box), which phones keep playing with
 * the screen locked, and tells the lock screen what plays (Media Session). A recording gets
 * the video player's seek bar, speed menu, seeking keys and resuming. Keyboard: space/k
 * play, m mute.
 *
 *   <ListeningPlayer src={hls} title={title} host={pubkey} covers={[stream.thumbnail_url]} track={nowPlaying} />
 */
export function ListeningPlayer({ src, title, host, covers, track, onReport, onPicture }: ListeningPlayerProps) {
  const audio = useRef<HTMLAudioElement>(null);
  const tap = useRef<AudioTap>();
  const [analyser, setAnalyser] = useState<AnalyserNode>();
  const playback = useHlsPlayback(audio, src, { autoPlay: true, muted: false, onReport });
  const { levels, playing, live, recorded, blocked, error, togglePlay, toggleMute } = playback;
  const timeline = useMediaTimeline(audio);
  useResume(audio, src, recorded);
  const picture = levels.some((level) => level.picture);
  useEffect(() => {
    if (picture) onPicture?.();
  }, [picture, onPicture]);
  const { data: profile } = useProfile(host);
  const hostName = displayName(host, profile);

  // Web Audio starts with the playing (a gesture, or autoplay the browser allowed): a context
  // made before either stays suspended.
  const listen = useCallback(() => {
    const element = audio.current;
    if (!element) return;
    tap.current ??= tapAudio(element);
    setAnalyser(tap.current?.analyser);
    void tap.current?.resume();
  }, []);
  useEffect(() => {
    const element = audio.current;
    element?.addEventListener('playing', listen);
    // A context made while autoplay was allowed for the element but not for Web Audio waits
    // suspended: the listener's first touch anywhere on the page wakes it.
    const wake = () => void tap.current?.resume();
    document.addEventListener('pointerdown', wake);
    return () => {
      element?.removeEventListener('playing', listen);
      document.removeEventListener('pointerdown', wake);
      tap.current?.close();
      tap.current = undefined;
    };
  }, [listen]);

  const playOrPause = () => {
    listen();
    togglePlay();
  };
  useMediaSession(
    {
      title: track?.title ?? title,
      artist: track?.artist || hostName,
      album: track ? title : '',
      artwork: covers.find((cover): cover is string => typeof cover === 'string' && cover !== ''),
    },
    {
      playing,
      play: () => {
        listen();
        void audio.current?.play();
      },
      pause: () => audio.current?.pause(),
    },
  );

  return (
    <div
      className="grid gap-4 rounded-lg border border-border bg-surface p-4 sm:grid-cols-[minmax(0,14rem)_1fr] lg:grid-cols-[minmax(0,18rem)_1fr]"
      tabIndex={0}
      role="group"
      aria-label={`Listening player: ${title}`}
      data-testid="listening-player"
      onKeyDown={(event) => {
        if (event.target !== event.currentTarget) return;
        if (recorded && seekWithKey(event.key, timeline)) return event.preventDefault();
        if (event.key === ' ' || event.key === 'k') playOrPause();
        else if (event.key === 'm') toggleMute();
        else return;
        event.preventDefault();
      }}
    >
      <div className="relative mx-auto aspect-square w-full max-w-72 overflow-hidden rounded-md bg-surface-2">
        <Cover sources={covers} audio />
        {blocked && (
          <Button className="absolute inset-x-4 bottom-4" onClick={playOrPause}>
            <Play className="h-4 w-4" aria-hidden /> Tap to listen
          </Button>
        )}
      </div>
      <div className="flex min-w-0 flex-col justify-between gap-3">
        <div className="min-w-0 space-y-2">
          <p className="inline-flex items-center gap-1 text-xs font-semibold uppercase tracking-wide text-muted">
            <Headphones className="h-3 w-3" aria-hidden /> {live ? 'Live audio' : 'Audio'}
          </p>
          <p className="truncate text-lg font-semibold">{title}</p>
          <UserBadge pubkey={host} />
          {track && <NowPlayingLine track={track} />}
        </div>
        <AudioVisualizer analyser={analyser} />
        {error && <p className="text-sm text-muted">{error}</p>}
        {recorded && <SeekBar timeline={timeline} />}
        <div className="flex flex-wrap items-center gap-2">
          <PlaybackControls
            playback={playback}
            onTogglePlay={playOrPause}
            qualities={menuOrder(levels).map((level) => ({ value: String(level.index), label: levelLabel(level) }))}
            prominentPlay
          >
            {recorded && <SpeedMenu timeline={timeline} />}
          </PlaybackControls>
        </div>
      </div>
      <audio ref={audio} data-testid="player-audio" preload="auto" />
    </div>
  );
}

/** "Now playing: Title — Artist", the title linking where the streamer pointed (web links only). */
export function NowPlayingLine({ track }: { track: TrackView }) {
  const link = track.link && /^https?:\/\//i.test(track.link) ? track.link : undefined;
  return (
    <p data-testid="now-playing" className="flex min-w-0 items-center gap-2 text-sm">
      <Music className="h-4 w-4 shrink-0 text-accent" aria-hidden />
      <span className="min-w-0 truncate">
        <span className="text-muted">Now playing: </span>
        {link ? (
          <a href={link} target="_blank" rel="noopener noreferrer" className="font-medium underline-offset-2 hover:underline">
            {track.title}
          </a>
        ) : (
          <span className="font-medium">{track.title}</span>
        )}
        {track.artist && <span className="text-muted"> — {track.artist}</span>}
      </span>
    </p>
  );
}

import Hls from 'hls.js';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useReconnectRecovery } from './player/use-reconnect-recovery';

export type PlayerReport = { type: 'buffering'; duration_ms: number } | { type: 'quality_switch'; from?: string; to: string };

/** One variant of the master playlist, as the quality menus need it. */
export interface HlsLevel {
  readonly index: number;
  /** The playlist's NAME (`source`, `480p`, `audio-64k`); our playlists always give one. */
  readonly name: string;
  readonly height: number;
  readonly kbps: number;
  /** False for a sound-only variant (no video codec, no RESOLUTION). */
  readonly picture: boolean;
}

export interface HlsPlayback {
  readonly levels: readonly HlsLevel[];
  /** `auto` or the chosen level's index. */
  readonly quality: string;
  readonly playing: boolean;
  /** Told by the playlist itself (no ENDLIST), so a stream that ends while watched stops saying LIVE. */
  readonly live: boolean;
  /** The playlist is a finished recording (ENDLIST): it has a length to seek in and a place to resume. */
  readonly recorded: boolean;
  /** Away from the live edge (further than one part target, plus tolerance, behind hls.js's live sync position), or paused. */
  readonly behind: boolean;
  /** How old the playing frame is (its EXT-X-PROGRAM-DATE-TIME against now), refreshed each second; undefined when the playlist gives no date. */
  readonly latencySeconds: number | undefined;
  /** Every variant carries sound only: the stream is better shown by the listening player. */
  readonly audioOnly: boolean;
  /** The browser refused to start playing without a gesture (unmuted autoplay). */
  readonly blocked: boolean;
  readonly error: string | undefined;
  readonly muted: boolean;
  chooseQuality(value: string): void;
  togglePlay(): void;
  toggleMute(): void;
  setVolume(volume: number): void;
  goLive(): void;
}

/** Our master playlists name each rendition (`NAME="source"`, `NAME="480p"`); others may not. */
const levelName = (level: { name?: string; height: number }): string => level.name || `${level.height}p`;

/** Where "Go to live" seeks: hls.js's live sync position (the edge minus its hold-back), or near the end for native HLS. */
function liveEdge(element: HTMLMediaElement, instance: Hls | undefined): number | undefined {
  if (instance) return instance.liveSyncPosition ?? undefined;
  if (element.seekable.length === 0) return undefined;
  return element.seekable.end(element.seekable.length - 1) - NATIVE_HOLD_BACK_SECONDS;
}

/** Safari's native HLS chooses its own hold-back; this is how far back from the seekable end we go for it. */
const NATIVE_HOLD_BACK_SECONDS = 3;
/** Slack for the second between checks and the player's own catch-up around the target. */
const EDGE_SLACK_SECONDS = 1;

function distanceFromEdge(element: HTMLMediaElement, instance: Hls | undefined): number {
  const edge = liveEdge(element, instance);
  return edge === undefined ? 0 : edge - element.currentTime;
}

/** How far behind its sync position hls.js still catches up by playing faster: one target duration. */
function catchUpRange(instance: Hls | undefined): number {
  return instance?.latestLevelDetails?.targetduration ?? NATIVE_HOLD_BACK_SECONDS;
}

/** One part target on LL-HLS, one target duration on plain HLS, plus slack. */
function edgeTolerance(instance: Hls | undefined): number {
  const details = instance?.latestLevelDetails;
  const step = details ? details.partTarget || details.targetduration : NATIVE_HOLD_BACK_SECONDS;
  return step + EDGE_SLACK_SECONDS;
}

/**
 * Plays an HLS source in a media element (<video> or <audio>): hls.js, or Safari's native
 * HLS where hls.js cannot run; keeps retrying while the playlist has not appeared yet,
 * reports buffering and quality switches, and follows the live edge. `muted` must match
 * the element's own `muted` attribute (a video autoplays muted, a listening player does not).
 *
 *   const playback = useHlsPlayback(audio, src, { autoPlay: true, muted: false, onReport });
 */
export function useHlsPlayback(
  media: RefObject<HTMLMediaElement>,
  src: string,
  {
    autoPlay,
    muted: startMuted,
    onReport,
    detached = false,
    reconnecting = false,
  }: {
    autoPlay: boolean;
    muted: boolean;
    onReport?: ((report: PlayerReport) => void) | undefined;
    /** While true hls.js lets go of the element (real-time playback owns it) and takes it back after. */
    detached?: boolean;
    /** The streamer's encoder dropped and the service waits for it: stalls and load errors are expected, not shown. */
    reconnecting?: boolean;
  },
): HlsPlayback {
  const hls = useRef<Hls>();
  const [levels, setLevels] = useState<HlsLevel[]>([]);
  const [quality, setQuality] = useState('auto');
  const [playing, setPlaying] = useState(false);
  const [behind, setBehind] = useState(false);
  const [latencySeconds, setLatencySeconds] = useState<number>();
  const [live, setLive] = useState(false);
  const [recorded, setRecorded] = useState(false);
  const [audioOnly, setAudioOnly] = useState(false);
  const [blocked, setBlocked] = useState(false);
  const [error, setError] = useState<string>();
  const [muted, setMuted] = useState(startMuted);
  const report = useRef(onReport);
  report.current = onReport;
  const waitingForEncoder = useRef(reconnecting);
  waitingForEncoder.current = reconnecting;

  useEffect(() => {
    const element = media.current;
    if (!element) return;
    setError(undefined);
    const start = () =>
      void element.play().then(
        () => setBlocked(false),
        (failure: unknown) => setBlocked(failure instanceof DOMException && failure.name === 'NotAllowedError'),
      );
    let waitingSince: number | undefined;
    let startedAtEdge = false;
    // Set by a stall (a wait while not seeking: seeking is the viewer's own doing), cleared back at the edge or
    // when the viewer pauses or seeks back. A forward seek keeps it: hls.js nudges the playhead over a gap in the
    // buffer as a stall ends, and clearing it then left the player ten seconds behind for good.
    let recovering = false;
    let position = element.currentTime;
    const onWaiting = () => {
      waitingSince = Date.now();
      if (!element.seeking) recovering = true;
    };
    const onTimeUpdate = () => {
      if (!element.seeking) position = element.currentTime;
    };
    const onSeeking = () => {
      if (element.currentTime < position) recovering = false;
      position = element.currentTime;
    };
    const onPlaying = () => {
      // hls.js starts a little behind its target and only speeds up with more than 1 s buffered, which a
      // 1 s LL-HLS target never has: one seek to the sync position as playback starts lands on the target.
      const sync = hls.current?.liveSyncPosition;
      if (!startedAtEdge && sync !== null && sync !== undefined && sync - element.currentTime > 0.1) element.currentTime = sync;
      startedAtEdge = true;
      setPlaying(true);
      setBlocked(false);
      if (waitingSince !== undefined) report.current?.({ type: 'buffering', duration_ms: Date.now() - waitingSince });
      waitingSince = undefined;
    };
    const onPause = () => {
      setPlaying(false);
      recovering = false;
    };
    // Native HLS reports a live playlist as an infinite duration.
    const onDuration = () => {
      setLive(element.duration === Infinity);
      setRecorded(Number.isFinite(element.duration));
    };
    element.addEventListener('waiting', onWaiting);
    element.addEventListener('playing', onPlaying);
    element.addEventListener('pause', onPause);
    element.addEventListener('seeking', onSeeking);
    element.addEventListener('timeupdate', onTimeUpdate);
    if (Hls.isSupported()) {
      // No liveSyncDurationCount: setting it pins the player that many segments back even on LL-HLS. Left alone, hls.js
      // holds PART-HOLD-BACK behind the edge on LL-HLS and three target durations on plain HLS. After a stall it
      // catches up at ≤ 1.1× (not heard as pitch) instead of growing its target latency with each stall.
      const instance = new Hls({ lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.1, liveSyncOnStallIncrease: 0, enableWorker: true });
      hls.current = instance;
      instance.on(Hls.Events.MANIFEST_PARSED, (_event, data) => {
        const parsed = data.levels.map((level, index) => ({
          index,
          name: levelName(level),
          height: level.height,
          kbps: Math.round(level.averageBitrate / 1000),
          picture: Boolean(level.videoCodec) || level.height > 0,
        }));
        setLevels(parsed);
        setAudioOnly(parsed.length > 0 && parsed.every((level) => !level.picture) && data.levels.every((level) => Boolean(level.audioCodec)));
        if (autoPlay) start();
      });
      instance.on(Hls.Events.LEVEL_LOADED, (_event, data) => {
        setLive(data.details.live);
        setRecorded(!data.details.live);
      });
      instance.on(Hls.Events.LEVEL_SWITCHED, (_event, data) => {
        const level = instance.levels[data.level];
        if (level) report.current?.({ type: 'quality_switch', to: levelName(level) });
      });
      // The playlist appears a few seconds after the encoder connects: keep trying for a while.
      let retries = 0;
      instance.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        // While the encoder reconnects the playlist may stop answering for as long as the grace lasts: retry without counting.
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR && (retries < 30 || waitingForEncoder.current)) {
          if (!waitingForEncoder.current) retries += 1;
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
      if (autoPlay) start();
    } else {
      setError('This browser cannot play HLS streams.');
    }
    const edge = setInterval(() => {
      const instance = hls.current;
      // A stall can leave playback further back than hls.js's gentle catch-up reaches (one target duration past its
      // target), where it would stay for good: once playing again it comes back to the edge at once.
      const distance = distanceFromEdge(element, instance);
      const tolerance = edgeTolerance(instance);
      if (recovering && !element.paused && element.readyState >= HTMLMediaElement.HAVE_FUTURE_DATA) {
        if (distance <= tolerance) recovering = false;
        else if (distance > catchUpRange(instance)) element.currentTime += distance;
      }
      setBehind(element.paused || distance > tolerance);
      const playingDate = instance?.playingDate;
      setLatencySeconds(playingDate ? Math.max(0, (Date.now() - playingDate.getTime()) / 1000) : undefined);
    }, 1000);
    return () => {
      clearInterval(edge);
      element.removeEventListener('waiting', onWaiting);
      element.removeEventListener('playing', onPlaying);
      element.removeEventListener('pause', onPause);
      element.removeEventListener('seeking', onSeeking);
      element.removeEventListener('timeupdate', onTimeUpdate);
      element.removeEventListener('durationchange', onDuration);
      hls.current?.destroy();
      hls.current = undefined;
    };
  }, [media, src, autoPlay]);

  useEffect(() => {
    const instance = hls.current;
    const element = media.current;
    if (!detached || !instance || !element) return;
    instance.detachMedia();
    return () => {
      // Real-time playback gave the element back: hls.js picks up at the live edge again.
      instance.attachMedia(element);
      instance.once(Hls.Events.LEVEL_UPDATED, () => {
        if (instance.liveSyncPosition !== null) element.currentTime = instance.liveSyncPosition;
        void element.play().catch(() => undefined);
      });
    };
  }, [media, detached]);

  useReconnectRecovery(media, hls, reconnecting);

  return {
    levels,
    quality,
    playing,
    live,
    recorded,
    behind: behind && !detached,
    latencySeconds: detached ? undefined : latencySeconds,
    audioOnly,
    blocked,
    error: reconnecting ? undefined : error,
    muted,
    chooseQuality: (value) => {
      setQuality(value);
      if (hls.current) hls.current.currentLevel = value === 'auto' ? -1 : Number(value);
    },
    togglePlay: () => {
      const element = media.current;
      if (!element) return;
      if (element.paused) void element.play().then(() => setBlocked(false), () => undefined);
      else element.pause();
    },
    toggleMute: () => {
      const element = media.current;
      if (!element) return;
      element.muted = !element.muted;
      setMuted(element.muted);
    },
    setVolume: (volume) => {
      if (media.current) media.current.volume = volume;
    },
    goLive: () => {
      const element = media.current;
      if (!element) return;
      const target = liveEdge(element, hls.current);
      if (target === undefined) return;
      element.currentTime = target;
      // The catch-up rate would otherwise carry on past the edge it was chasing.
      element.playbackRate = 1;
      void element.play().then(() => setBlocked(false), () => undefined);
    },
  };
}

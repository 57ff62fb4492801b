import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import { startWhep, WhepUnavailable, type WhepPlayback } from '../lib/whep';
import { Switch } from './ui/switch';

const FALLBACK_NOTICE: Record<WhepUnavailable['reason'], string> = {
  full: 'Real-time is full right now — playing with low latency instead',
  failed: 'Real-time could not connect (your network may block it) — playing with low latency instead',
  unsupported: 'Real-time could not connect (your network may block it) — playing with low latency instead',
};

export interface RealtimePlayback {
  /** The WHEP session playing in the video, or undefined while LL-HLS plays. */
  readonly session: WhepPlayback | undefined;
  readonly connecting: boolean;
  /** Why the player is on LL-HLS although real-time was asked for. */
  readonly notice: string | undefined;
  toggle(on: boolean): void;
}

/**
 * The player's "Real-time" mode over WHEP. The caller hands the element over: it detaches
 * hls.js while `session` is set and shows the stream with `useRealtimeVideo` after that.
 *
 *   const realtime = useRealtime(video, whepUrl);
 *   const playback = useHlsPlayback(video, src, { …, detached: realtime.session !== undefined });
 *   useRealtimeVideo(video, realtime.session);
 */
export function useRealtime(video: RefObject<HTMLVideoElement>, whepUrl: string | null | undefined): RealtimePlayback {
  const [session, setSession] = useState<WhepPlayback>();
  const [connecting, setConnecting] = useState(false);
  const [notice, setNotice] = useState<string>();
  const attempt = useRef<AbortController>();
  const current = useRef<WhepPlayback>();
  current.current = session;

  useEffect(
    () => () => {
      attempt.current?.abort();
      void current.current?.close();
    },
    [],
  );

  const stop = async (playing: WhepPlayback) => {
    // Before hls.js takes the element back, so it never sees a live srcObject.
    if (video.current) video.current.srcObject = null;
    await playing.close();
    setSession(undefined);
  };

  const toggle = (on: boolean) => {
    setNotice(undefined);
    attempt.current?.abort();
    attempt.current = undefined;
    if (!on) {
      setConnecting(false);
      if (session) void stop(session);
      return;
    }
    if (!whepUrl) return;
    const controller = new AbortController();
    attempt.current = controller;
    setConnecting(true);
    startWhep(whepUrl, { signal: controller.signal }).then(
      (started) => {
        if (controller.signal.aborted) return void started.close();
        setConnecting(false);
        setSession(started);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setConnecting(false);
        setNotice(failure instanceof WhepUnavailable ? FALLBACK_NOTICE[failure.reason] : FALLBACK_NOTICE.failed);
      },
    );
  };

  return { session, connecting, notice, toggle };
}

/** Plays the WHEP session's stream in the video once hls.js has let go of it (call after useHlsPlayback). */
export function useRealtimeVideo(video: RefObject<HTMLVideoElement>, session: WhepPlayback | undefined): void {
  useEffect(() => {
    const element = video.current;
    if (!element || !session) return;
    element.srcObject = session.stream;
    element.playbackRate = 1;
    void element.play().catch(() => undefined);
  }, [video, session]);
}

/** The "Real-time" switch in the player's controls. */
export function RealtimeSwitch({ realtime }: { realtime: RealtimePlayback }) {
  const id = useId();
  return (
    <span className="inline-flex items-center gap-1 text-xs">
      <Switch
        id={id}
        className="h-5 w-9 [&>span]:h-4 [&>span]:w-4 [&>span[data-state=checked]]:translate-x-4"
        checked={realtime.session !== undefined || realtime.connecting}
        disabled={realtime.connecting}
        onCheckedChange={realtime.toggle}
      />
      <label htmlFor={id}>{realtime.connecting ? 'Real-time…' : 'Real-time'}</label>
    </span>
  );
}

/** The short notice over the picture when real-time fell back to LL-HLS. */
export function RealtimeNotice({ notice }: { notice: string | undefined }) {
  if (!notice) return null;
  return (
    <p role="status" className="absolute inset-x-3 top-12 rounded bg-black/70 px-3 py-2 text-xs text-white">
      {notice}
    </p>
  );
}

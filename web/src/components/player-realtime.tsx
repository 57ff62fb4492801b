import { Zap } from 'lucide-react';
import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import { startWhep, WhepUnavailable, type WhepPlayback } from '../lib/whep';
import { Switch } from './ui/switch';
import { toast } from './ui/toast';

const FALLBACK_NOTICE: Record<WhepUnavailable['reason'], string> = {
  full: 'Real-time is full right now — playing with low latency instead',
  failed: 'Real-time could not connect (your network may block it) — playing with low latency instead',
  unsupported: 'Real-time could not connect (your network may block it) — playing with low latency instead',
};

export interface RealtimePlayback {
  /** The WHEP session playing in the video, or undefined while LL-HLS plays. */
  readonly session: WhepPlayback | undefined;
  readonly connecting: boolean;
  toggle(on: boolean): void;
}

/**
 * The player's "Real-time" mode over WHEP. The caller hands the element over: it detaches
 * hls.js while `session` is set and shows the stream with `useRealtimeVideo` after that.
 * A fallback to LL-HLS is told in a toast, off the picture.
 *
 *   const realtime = useRealtime(video, whepUrl);
 *   const playback = useHlsPlayback(video, src, { …, detached: realtime.session !== undefined });
 *   useRealtimeVideo(video, realtime.session);
 */
export function useRealtime(video: RefObject<HTMLVideoElement>, whepUrl: string | null | undefined): RealtimePlayback {
  const [session, setSession] = useState<WhepPlayback>();
  const [connecting, setConnecting] = useState(false);
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
        toast({ title: failure instanceof WhepUnavailable ? FALLBACK_NOTICE[failure.reason] : FALLBACK_NOTICE.failed, duration: 8000 });
      },
    );
  };

  return { session, connecting, toggle };
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

/** The "Real-time" switch in the player's controls: on a phone's narrow bar an icon, its words kept for screen readers. */
export function RealtimeSwitch({ realtime }: { realtime: RealtimePlayback }) {
  const id = useId();
  return (
    <span className="inline-flex shrink-0 items-center gap-1 whitespace-nowrap text-xs">
      <Switch
        id={id}
        className="h-5 w-9 [&>span]:h-4 [&>span]:w-4 [&>span[data-state=checked]]:translate-x-4"
        checked={realtime.session !== undefined || realtime.connecting}
        disabled={realtime.connecting}
        onCheckedChange={realtime.toggle}
      />
      <label htmlFor={id} className="inline-flex items-center">
        <Zap className="h-3.5 w-3.5 sm:hidden" aria-hidden />
        <span className="sr-only sm:not-sr-only">{realtime.connecting ? 'Real-time…' : 'Real-time'}</span>
      </label>
    </span>
  );
}

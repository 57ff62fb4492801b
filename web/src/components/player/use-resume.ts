import { useEffect, type RefObject } from 'react';
import { toast } from '../ui/toast';
import { clock, worthResuming } from './timeline';

/** How often the position is written while playing; `pagehide` writes the last one. */
const SAVE_EVERY_MS = 5000;

/** One key per recording: its address without the query (a private link's token changes, the recording does not). */
const storageKey = (src: string) => `wavlake:resume:${src.split('?')[0] ?? src}`;

function readSaved(src: string): number | undefined {
  try {
    const value = Number(localStorage.getItem(storageKey(src)));
    return Number.isFinite(value) && value > 0 ? value : undefined;
  } catch {
    // Storage refused (private browsing, a sandboxed frame): the viewer starts at the beginning.
    return undefined;
  }
}

/** The viewer stopped part-way through this recording in this browser: coming back goes on with it. */
export function hasResumePoint(src: string): boolean {
  return readSaved(src) !== undefined;
}

function write(src: string, position: number | undefined): void {
  try {
    if (position === undefined) localStorage.removeItem(storageKey(src));
    // Rounded down: "Resumed at 0:13" must not name a second the viewer never reached.
    else localStorage.setItem(storageKey(src), String(Math.floor(position * 10) / 10));
  } catch {
    // As above: nothing is remembered, nothing breaks.
  }
}

/**
 * Remembers where a viewer is in a recording (in this browser) and brings them back there:
 * when the recording's length is known it seeks to the saved place and says so in a toast
 * with "Start over". Saved every few seconds and when the page goes away; forgotten near the end.
 * Only for recordings (`enabled`): a live stream's position means nothing a day later.
 *
 *   useResume(video, src, playback.recorded);
 */
export function useResume(media: RefObject<HTMLMediaElement>, src: string, enabled: boolean): void {
  useEffect(() => {
    const element = media.current;
    if (!element || !enabled) return;
    let restored = false;
    const save = () => {
      const { currentTime, duration } = element;
      if (!restored || !Number.isFinite(duration) || duration <= 0) return;
      write(src, worthResuming(currentTime, duration) ? currentTime : undefined);
    };
    const restore = () => {
      const { duration } = element;
      if (restored || !Number.isFinite(duration) || duration <= 0) return;
      restored = true;
      const saved = readSaved(src);
      if (saved === undefined || !worthResuming(saved, duration)) return;
      element.currentTime = saved;
      toast({
        title: `Resumed at ${clock(saved)}`,
        action: {
          label: 'Start over',
          onClick: () => {
            element.currentTime = 0;
            write(src, undefined);
          },
        },
      });
    };
    const forget = () => write(src, undefined);
    element.addEventListener('durationchange', restore);
    element.addEventListener('loadedmetadata', restore);
    element.addEventListener('ended', forget);
    window.addEventListener('pagehide', save);
    const timer = setInterval(() => {
      if (!element.paused) save();
    }, SAVE_EVERY_MS);
    restore();
    return () => {
      save();
      clearInterval(timer);
      element.removeEventListener('durationchange', restore);
      element.removeEventListener('loadedmetadata', restore);
      element.removeEventListener('ended', forget);
      window.removeEventListener('pagehide', save);
    };
  }, [media, src, enabled]);
}

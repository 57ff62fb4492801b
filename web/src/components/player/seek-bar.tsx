import type { KeyboardEvent } from 'react';
import { clock, seekTarget, spokenPosition } from './timeline';
import type { MediaTimeline } from './use-media-timeline';

/**
 * Seeks with the player's keys (←/→ 5 s, j/l 10 s, Home/End, 0–9): true when the key was one,
 * so the caller stops the browser's own handling. The seek bar and the player's frame share it.
 *
 *   if (seekWithKey(event.key, timeline)) event.preventDefault();
 */
export function seekWithKey(key: string, timeline: MediaTimeline): boolean {
  if (!Number.isFinite(timeline.duration)) return false;
  const to = seekTarget(key, timeline.currentTime, timeline.duration);
  if (to === undefined) return false;
  timeline.seek(to);
  return true;
}

/**
 * A recording's seek bar: the elapsed time, a slider over the whole recording and the duration.
 * A native range input (dragging, touch and screen readers come with it), said as "1:02 of 45:10";
 * its keys are the player's, not the browser's steps.
 *
 *   {playback.recorded && <SeekBar timeline={timeline} />}
 */
export function SeekBar({ timeline }: { timeline: MediaTimeline }) {
  const { currentTime, duration } = timeline;
  const known = Number.isFinite(duration) && duration > 0;
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (seekWithKey(event.key, timeline)) event.preventDefault();
  };
  return (
    <div className="flex w-full items-center gap-2 text-xs tabular-nums" data-testid="seek-bar">
      <span data-testid="elapsed">{clock(currentTime)}</span>
      <input
        type="range"
        min={0}
        max={known ? duration : 0}
        step="any"
        value={known ? Math.min(currentTime, duration) : 0}
        disabled={!known}
        aria-label="Seek"
        aria-valuetext={known ? spokenPosition(currentTime, duration) : 'Loading'}
        onChange={(event) => timeline.seek(Number(event.target.value))}
        onKeyDown={onKeyDown}
        className="h-1.5 min-w-0 flex-1 cursor-pointer accent-accent"
      />
      <span data-testid="duration">{known ? clock(duration) : '–:––'}</span>
    </div>
  );
}

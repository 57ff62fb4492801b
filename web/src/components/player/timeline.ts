/**
 * The arithmetic of a recording's timeline, kept apart from React so it is tested alone: how a
 * position reads ("1:02", "1:02:05"), where a key moves the playhead, and whether a saved
 * position is worth resuming.
 *
 *   clock(62)                          // "1:02"
 *   seekTarget('ArrowRight', 60, 600)  // 65
 */

/** A position as a viewer reads it: M:SS under an hour, H:MM:SS past it. */
export function clock(seconds: number): string {
  const whole = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
  const pad = (value: number) => String(value).padStart(2, '0');
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor(whole / 60) % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(whole % 60)}` : `${minutes}:${pad(whole % 60)}`;
}

/** What a screen reader says for the seek bar ("1:02 of 45:10"). */
export const spokenPosition = (current: number, duration: number): string => `${clock(current)} of ${clock(duration)}`;

/** The small and the large step of the keyboard, as YouTube's players take them (arrows, then j/l). */
const STEP_SECONDS = 5;
const JUMP_SECONDS = 10;

/**
 * Where a key sends the playhead of a recording `duration` long, or undefined when the key
 * does not seek: ←/→ ±5 s, j/l ±10 s, Home/End, and 0–9 to 0–90 % of the way through.
 */
export function seekTarget(key: string, current: number, duration: number): number | undefined {
  const within = (to: number) => Math.min(Math.max(0, to), duration);
  switch (key) {
    case 'ArrowLeft':
      return within(current - STEP_SECONDS);
    case 'ArrowRight':
      return within(current + STEP_SECONDS);
    case 'j':
      return within(current - JUMP_SECONDS);
    case 'l':
      return within(current + JUMP_SECONDS);
    case 'Home':
      return 0;
    case 'End':
      return duration;
    default:
      return /^[0-9]$/.test(key) ? (duration * Number(key)) / 10 : undefined;
  }
}

/** Closer to either end than this, a position is not worth coming back to (the start is where a player begins anyway; the end was watched). */
const RESUME_MARGIN_SECONDS = 10;

/** True when a saved position is worth resuming: past the first seconds and not in the last ones. */
export const worthResuming = (position: number, duration: number): boolean =>
  position > RESUME_MARGIN_SECONDS && position < duration - RESUME_MARGIN_SECONDS;

/** The playback speeds offered, slowest first. */
export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;

/** "1×", "1.5×": how the speed menu names a speed. */
export const speedLabel = (speed: number): string => `${speed}×`;

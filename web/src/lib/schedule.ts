import { spokenDuration } from './duration';

/**
 * A planned stream's times in the browser: the countdown on its page, and the local
 * date-time of an `<input type="datetime-local">` (which carries no time zone) to and from
 * Unix seconds.
 *
 *   countdown(stream.starts_at, unixNow())          // "Starts in 2 h 14 min", then "Starting soon"
 *   unixFromLocalInput(form.get('starts_at'))       // null when left empty
 */
export interface Countdown {
  readonly text: string;
  /** The same for screen readers, in words. */
  readonly spoken: string;
}

export function countdown(starts: number, now: number): Countdown {
  const remaining = starts - now;
  if (remaining <= 0) return { text: 'Starting soon', spoken: 'Starting soon' };
  // Rounded up: "Starts in 1 min" until the minute is over, never "Starts in 0 min".
  const minutes = Math.ceil(remaining / 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [hours > 0 ? `${hours} h` : '', rest > 0 || hours === 0 ? `${rest} min` : ''].filter(Boolean);
  return { text: `Starts in ${parts.join(' ')}`, spoken: `Starts in ${spokenDuration(minutes * 60)}` };
}

/** A datetime-local value ("2026-12-03T20:00") as Unix seconds in this browser's time zone; null when empty, NaN when not a date. */
export function unixFromLocalInput(value: FormDataEntryValue | null): number | null {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return null;
  // Without an offset the string is read as local time, which is what the picker shows.
  return Math.floor(new Date(text).getTime() / 1000);
}

/** Unix seconds as a datetime-local value in this browser's time zone, to the minute. */
export function localInputValue(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

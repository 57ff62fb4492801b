import { describe, expect, it } from 'vitest';
import { formatStartTime } from './start-time';

// Local times throughout: the formatter speaks the viewer's time zone, and so does `new Date(y, m, d, h, min)`.
const at = (year: number, month: number, day: number, hour: number, minute: number) => new Date(year, month - 1, day, hour, minute);
const seconds = (date: Date) => date.getTime() / 1000;

describe('a planned stream\'s start time', () => {
  const now = at(2026, 12, 3, 9, 15);

  it('says today or tomorrow with the time', () => {
    expect(formatStartTime(seconds(at(2026, 12, 3, 20, 0)), now, 'en-GB')).toBe('Today 20:00');
    expect(formatStartTime(seconds(at(2026, 12, 4, 18, 30)), now, 'en-GB')).toBe('Tomorrow 18:30');
    expect(formatStartTime(seconds(at(2026, 12, 4, 18, 30)), now, 'de-DE')).toBe('Morgen 18:30');
  });

  it('names the weekday within the week and the date beyond it', () => {
    expect(formatStartTime(seconds(at(2026, 12, 5, 20, 0)), now, 'en-GB')).toBe('Sat 20:00');
    expect(formatStartTime(seconds(at(2026, 12, 12, 20, 0)), now, 'en-GB')).toBe('12 Dec, 20:00');
    expect(formatStartTime(seconds(at(2027, 1, 12, 20, 0)), now, 'en-GB')).toBe('12 Jan 2027, 20:00');
  });

  it('says yesterday for a start that has passed', () => {
    expect(formatStartTime(seconds(at(2026, 12, 2, 21, 0)), now, 'en-GB')).toBe('Yesterday 21:00');
  });
});

import { describe, expect, it } from 'vitest';
import { countdown, localInputValue, unixFromLocalInput } from './schedule';

describe('a planned stream\'s countdown', () => {
  it.each([
    [2 * 3600 + 14 * 60, 'Starts in 2 h 14 min', 'Starts in 2 hours 14 minutes'],
    [2 * 3600 + 13 * 60 + 1, 'Starts in 2 h 14 min', 'Starts in 2 hours 14 minutes'],
    [3 * 3600, 'Starts in 3 h', 'Starts in 3 hours'],
    [59 * 60, 'Starts in 59 min', 'Starts in 59 minutes'],
    [20, 'Starts in 1 min', 'Starts in 1 minute'],
    [0, 'Starting soon', 'Starting soon'],
    [-600, 'Starting soon', 'Starting soon'],
  ])('%i s ahead reads "%s"', (ahead, text, spoken) => {
    expect(countdown(1_000_000 + ahead, 1_000_000)).toEqual({ text, spoken });
  });
});

describe('the start time field', () => {
  it('reads a local date-time as Unix seconds and writes it back to the minute', () => {
    const value = '2027-03-14T20:30';
    const seconds = unixFromLocalInput(value);
    expect(seconds).toBe(new Date(2027, 2, 14, 20, 30).getTime() / 1000);
    expect(localInputValue(seconds ?? 0)).toBe(value);
  });

  it('is null when left empty, and not a number when it is not a date', () => {
    expect(unixFromLocalInput('')).toBeNull();
    expect(unixFromLocalInput(null)).toBeNull();
    expect(unixFromLocalInput('someday')).toBeNaN();
  });
});

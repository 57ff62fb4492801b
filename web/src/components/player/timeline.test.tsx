import { describe, expect, it } from 'vitest';
import { clock, seekTarget, spokenPosition, worthResuming } from './timeline';

describe('clock', () => {
  it('reads M:SS under an hour and H:MM:SS past it', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(62.9)).toBe('1:02');
    expect(clock(45 * 60 + 10)).toBe('45:10');
    expect(clock(3600 + 2 * 60 + 5)).toBe('1:02:05');
    expect(clock(Number.NaN)).toBe('0:00');
  });

  it('says the position against the duration', () => {
    expect(spokenPosition(62, 2710)).toBe('1:02 of 45:10');
  });
});

describe('seekTarget', () => {
  it('steps 5 s with the arrows and 10 s with j/l, inside the recording', () => {
    expect(seekTarget('ArrowRight', 60, 600)).toBe(65);
    expect(seekTarget('ArrowLeft', 60, 600)).toBe(55);
    expect(seekTarget('l', 595, 600)).toBe(600);
    expect(seekTarget('j', 4, 600)).toBe(0);
  });

  it('goes to either end with Home/End and to tenths with the digits', () => {
    expect(seekTarget('Home', 60, 600)).toBe(0);
    expect(seekTarget('End', 60, 600)).toBe(600);
    expect(seekTarget('0', 60, 600)).toBe(0);
    expect(seekTarget('7', 60, 600)).toBe(420);
  });

  it('leaves other keys alone', () => {
    expect(seekTarget('k', 60, 600)).toBeUndefined();
    expect(seekTarget('ArrowUp', 60, 600)).toBeUndefined();
  });
});

describe('worthResuming', () => {
  it('skips the first and the last seconds', () => {
    expect(worthResuming(5, 600)).toBe(false);
    expect(worthResuming(300, 600)).toBe(true);
    expect(worthResuming(595, 600)).toBe(false);
  });
});

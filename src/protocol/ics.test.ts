import { describe, expect, it } from 'vitest';
import { buildCalendarEvent, escapeText, utcDateTime } from './ics.js';

const start = Date.UTC(2027, 0, 15, 19, 30, 0) / 1000;
const now = Date.UTC(2026, 11, 3, 12, 0, 5) / 1000;

describe('the calendar file of a planned stream', () => {
  const ics = buildCalendarEvent(
    { uid: 'abc@live.example', start, title: 'Jazz, live; from home', url: 'https://live.example/s/abc', description: 'Line one\nLine two \\ end' },
    now,
  );

  it('is one VEVENT inside a VCALENDAR, every line ending in CRLF', () => {
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('says when in UTC, with a stamp of when it was made', () => {
    expect(ics).toContain('\r\nDTSTART:20270115T193000Z\r\n');
    expect(ics).toContain('\r\nDTSTAMP:20261203T120005Z\r\n');
    expect(ics).toContain('\r\nUID:abc@live.example\r\n');
    expect(ics).toContain('\r\nURL:https://live.example/s/abc\r\n');
  });

  it('escapes commas, semicolons, backslashes and line breaks in text', () => {
    expect(ics).toContain('\r\nSUMMARY:Jazz\\, live\\; from home\r\n');
    expect(ics).toContain('\r\nDESCRIPTION:Line one\\nLine two \\\\ end\r\n');
    expect(escapeText('a\r\nb')).toBe('a\\nb');
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const long = buildCalendarEvent({ uid: 'u', start, title: 'é'.repeat(100), url: 'https://x', description: '' }, now);
    const lines = long.split('\r\n');
    for (const line of lines) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const summary = lines.slice(lines.findIndex((line) => line.startsWith('SUMMARY:')));
    const unfolded = [summary[0], ...summary.slice(1).filter((line) => line.startsWith(' ')).map((line) => line.slice(1))].join('');
    expect(unfolded.startsWith(`SUMMARY:${'é'.repeat(100)}`)).toBe(true);
  });

  it('writes UTC date-times in the basic format', () => {
    expect(utcDateTime(0)).toBe('19700101T000000Z');
  });
});

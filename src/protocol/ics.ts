/**
 * An iCalendar file (RFC 5545) with one event: what "Add to calendar" downloads for a planned
 * stream. Lines end in CRLF and are folded at 75 octets; text values are escaped, so a title
 * with commas, semicolons or line breaks stays one value.
 *
 *   buildCalendarEvent({ uid: `${id}@live.example`, start, title, url, description }, now)
 */
export interface CalendarEvent {
  /** Globally unique and stable for the stream, so a second download updates the same entry. */
  readonly uid: string;
  /** Unix seconds. */
  readonly start: number;
  readonly title: string;
  readonly url: string;
  readonly description: string;
  /** Seconds; calendars need some length to draw the entry. */
  readonly durationSeconds?: number;
}

const DEFAULT_DURATION_SECONDS = 3600;
const MAX_LINE_OCTETS = 75;

export function buildCalendarEvent(event: CalendarEvent, now: number): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Wavlake Live//Stream schedule//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${utcDateTime(now)}`,
    `DTSTART:${utcDateTime(event.start)}`,
    `DURATION:PT${Math.round((event.durationSeconds ?? DEFAULT_DURATION_SECONDS) / 60)}M`,
    `SUMMARY:${escapeText(event.title)}`,
    // URL is a URI value, not text: it is not escaped.
    `URL:${event.url}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** RFC 5545 §3.3.11: backslash, semicolon and comma are escaped, line breaks written as \n. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** RFC 5545 §3.3.5 form 2: `YYYYMMDDTHHMMSSZ`. */
export function utcDateTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** RFC 5545 §3.1: lines longer than 75 octets continue on lines that start with a space, never inside a character. */
function fold(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = encoder.encode(character).length;
    // Continuation lines begin with a space, which counts toward their 75.
    const limit = parts.length === 0 ? MAX_LINE_OCTETS : MAX_LINE_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

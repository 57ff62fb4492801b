import type { StreamAnalytics } from '../../../src/protocol/api-views';
import { countryName } from './countries';

type Cell = string | number | undefined;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * A field a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading `'`:
 * a country or stream title is data, never code.
 */
export function csvField(cell: Cell): string {
  if (cell === undefined) return '';
  if (typeof cell === 'number') return String(cell);
  const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The viewers timeline: one row per sample, its time both as UTC and as seconds into the stream. */
export function timelineCsv(timeline: StreamAnalytics['timeline'], startedAt: number | null): string {
  const origin = startedAt ?? timeline[0]?.timestamp ?? 0;
  return csv([
    ['time_utc', 'seconds_into_stream', 'viewers', 'chat_messages', 'bitrate_kbps'],
    ...timeline.map((point) => [new Date(point.timestamp * 1000).toISOString(), point.timestamp - origin, point.viewers, point.chatMessages, point.bitrate]),
  ]);
}

/** Viewers per country, with the country's English name beside its code. */
export function countriesCsv(countries: StreamAnalytics['countries']): string {
  return csv([['country_code', 'country', 'viewers'], ...countries.map((row) => [row.country, countryName(row.country), row.viewers])]);
}

/** Offers `text` as a file download, the way a link with `download` does. */
export function downloadCsv(fileName: string, text: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/**
 * How far into a stream a moment is, as H:MM:SS ("0:12:30"), the way track lists and chapters
 * show it. A track set before the stream went live counts from 0:00:00.
 *
 *   streamOffset(track.startedAt, stream.started_at)   // "1:02:05"
 */
export function streamOffset(at: number, streamStart: number): string {
  const seconds = Math.max(0, Math.floor(at - streamStart));
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

import { ExternalLink } from 'lucide-react';
import type { StreamAnalytics } from '../../../../src/protocol/api-views';
import { streamOffset } from '../../lib/tracks';

type Track = StreamAnalytics['tracks'][number];

/**
 * The tracks played, in order, each at its offset into the stream: `start` is the stream's
 * `started_at` (null before it went live: times then count from the first track). `empty` is
 * what to say when there are none.
 */
export function TrackList({ tracks, start, empty }: { tracks: readonly Track[]; start: number | null; empty: string }) {
  if (tracks.length === 0) return <p className="text-sm text-muted">{empty}</p>;
  const origin = start ?? tracks[0]?.startedAt ?? 0;
  return (
    <ol className="grid gap-1 text-sm" data-testid="track-list">
      {tracks.map((track) => (
        <li key={`${track.startedAt}-${track.title}`} className="flex flex-wrap items-baseline gap-x-3" data-testid="track">
          <time className="font-mono text-xs text-muted" dateTime={new Date(track.startedAt * 1000).toISOString()}>
            {streamOffset(track.startedAt, origin)}
          </time>
          <span className="min-w-0">
            <span className="font-medium">{track.title}</span>
            {track.artist && <span className="text-muted"> — {track.artist}</span>}
          </span>
          {track.link && (
            <a href={track.link} target="_blank" rel="noopener noreferrer nofollow" className="inline-flex items-center gap-1 text-xs text-accent underline">
              Link <ExternalLink className="h-3 w-3" aria-hidden />
              <span className="sr-only">to {track.title}</span>
            </a>
          )}
        </li>
      ))}
    </ol>
  );
}

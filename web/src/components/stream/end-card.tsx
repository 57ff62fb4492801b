import { Play } from 'lucide-react';
import { Link } from 'wouter';
import { formatCoordinate, type Coordinate } from '../../../../src/protocol/coordinate';
import { KIND } from '../../../../src/protocol/kinds';
import { encodeLiveEventAddress } from '../../../../src/protocol/naddr';
import { spokenDuration } from '../../lib/duration';
import { isReallyLive, useLiveEvents } from '../../lib/live-events';
import { UserBadge } from '../avatar';
import { Cover } from '../cover';
import { Button } from '../ui/button';

const OTHERS_SHOWN = 3;

/** Up to three other streams live now, most watched first: where a viewer goes next. */
function OtherLiveStreams({ current, relays }: { current: Coordinate; relays: string[] }) {
  const events = useLiveEvents(relays, { kinds: [KIND.liveEvent], '#status': ['live'] });
  const here = formatCoordinate(current);
  const others = events
    .filter((event) => isReallyLive(event) && formatCoordinate(event.coordinate) !== here)
    .sort((a, b) => (b.currentParticipants ?? 0) - (a.currentParticipants ?? 0))
    .slice(0, OTHERS_SHOWN);
  if (others.length === 0) return null;
  return (
    <section aria-labelledby="end-card-others" className="w-full max-w-2xl">
      <h3 id="end-card-others" className="mb-2 text-sm font-semibold">
        Live now
      </h3>
      <ul className="grid grid-cols-3 gap-2">
        {others.map((event) => (
          <li key={formatCoordinate(event.coordinate)}>
            <Link
              href={`/stream/${encodeLiveEventAddress(event.coordinate, event.relays.slice(0, 2))}`}
              data-testid="end-card-stream"
              className="block overflow-hidden rounded-md border border-border bg-surface-2 text-left hover:border-accent focus-visible:ring-2 focus-visible:ring-accent"
            >
              <div className="aspect-video bg-background">
                <Cover sources={[event.image, event.thumbnail]} audio={event.streamingType === 'audio'} />
              </div>
              <p className="truncate px-2 pt-1 text-xs font-medium">{event.title ?? 'Untitled stream'}</p>
              <UserBadge pubkey={event.host} className="max-w-full px-2 pb-1 text-xs" />
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * What a viewer sees once the stream is over, in the player's place: that it ended (or stopped
 * on a failure), how long it lasted, the replay when there is one (played only when asked:
 * never a silent restart from 0:00), and other streams live now.
 */
export function EndCard({
  failed,
  startedAt,
  endedAt,
  onReplay,
  current,
  relays,
}: {
  failed: boolean;
  startedAt: number | undefined;
  endedAt: number | undefined;
  onReplay: (() => void) | undefined;
  current: Coordinate;
  relays: string[];
}) {
  const lasted = startedAt !== undefined && endedAt !== undefined && endedAt >= startedAt ? endedAt - startedAt : undefined;
  return (
    <div data-testid="end-card" className="flex min-h-56 flex-col items-center justify-center gap-3 rounded-lg bg-surface p-4 text-center lg:aspect-video">
      <h2 className="text-lg font-semibold">{failed ? 'The stream stopped because of a problem' : 'The stream has ended'}</h2>
      {lasted !== undefined && (
        <p className="text-sm text-muted" data-testid="end-card-duration">
          Live for {spokenDuration(lasted)}
        </p>
      )}
      {onReplay && (
        <Button onClick={onReplay}>
          <Play className="h-4 w-4" aria-hidden /> Watch the replay
        </Button>
      )}
      <OtherLiveStreams current={current} relays={relays} />
    </div>
  );
}

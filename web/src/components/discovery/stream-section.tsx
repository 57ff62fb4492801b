import type { ReactNode } from 'react';
import type { LiveEvent } from '../../../../src/protocol/live-event';
import { liveEventAddress } from '../../../../src/protocol/live-event';
import type { ZapTotals } from '../../lib/zap-totals';
import { StreamCard } from '../stream-card';
import { StreamCardSkeleton } from './stream-card-skeleton';

const GRID = 'grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4';

/**
 * A row of discovery: its cards; while the relays are still answering (`loading`) and none has
 * come, placeholder cards (busy, announced by `loading.text`); then, if still none, `empty`.
 *
 *   <StreamSection title="Live now" empty="Nobody is live right now." events={live} loading={!loaded && { text: 'Loading live streams', cards: 4 }} zapTotals={zapTotals} />
 */
export function StreamSection({
  title,
  empty,
  events,
  loading = false,
  zapTotals,
}: {
  title: string;
  empty: ReactNode;
  events: LiveEvent[];
  loading?: false | { text: string; cards: number };
  zapTotals: ZapTotals;
}) {
  return (
    <section aria-label={title} aria-busy={loading !== false}>
      <h2 className="mb-3 text-lg font-semibold">{title}</h2>
      {events.length > 0 ? (
        <div className={GRID}>
          {events.map((event) => (
            <StreamCard key={event.id} event={event} zapTotalSats={zapTotals.get(liveEventAddress(event))} />
          ))}
        </div>
      ) : loading ? (
        <>
          <p className="sr-only">{loading.text}</p>
          <div className={GRID}>
            {Array.from({ length: loading.cards }, (_, index) => (
              <StreamCardSkeleton key={index} />
            ))}
          </div>
        </>
      ) : (
        <p className="text-sm text-muted">{empty}</p>
      )}
    </section>
  );
}

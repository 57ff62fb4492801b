import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { CategoriesView } from '../../../src/protocol/api-views';
import { isInCategory, type Category } from '../../../src/protocol/categories';
import { liveEventAddress } from '../../../src/protocol/live-event';
import { KIND } from '../../../src/protocol/kinds';
import { StreamCard } from '../components/stream-card';
import { Button } from '../components/ui/button';
import { api } from '../lib/api';
import { useContactList } from '../lib/contacts';
import { isReallyLive, useLiveEvents } from '../lib/live-events';
import { useMuteList } from '../lib/mute-list';
import { useRelays } from '../lib/nostr';
import { useLiveZapTotals, type ZapTotals } from '../lib/zap-totals';

/** Discovery: who is live now (any NIP-53 service on our relays), what is planned, recent recordings. */
export function HomePage() {
  const relays = useRelays();
  const [category, setCategory] = useState<Category>();
  const { data } = useQuery({ queryKey: ['categories'], queryFn: () => api<CategoriesView>('/api/v1/categories'), staleTime: Infinity });
  const events = useLiveEvents(relays, { kinds: [KIND.liveEvent], limit: 200 });
  const { muted } = useMuteList();
  const zapTotals = useLiveZapTotals();
  const visible = events.filter((event) => !muted.has(event.host) && (!category || isInCategory(event, category)));
  const live = visible.filter((event) => isReallyLive(event)).sort((a, b) => (b.currentParticipants ?? 0) - (a.currentParticipants ?? 0));
  // Signed out, nobody is followed and the row is not shown.
  const { follows } = useContactList();
  const following = live.filter((event) => follows.has(event.host));
  const planned = visible.filter((event) => event.status === 'planned');
  const recent = visible.filter((event) => event.status === 'ended' && event.recording).sort((a, b) => (b.ends ?? 0) - (a.ends ?? 0));

  return (
    <div className="space-y-8">
      <nav aria-label="Categories" className="flex gap-2 overflow-x-auto pb-1">
        <Button size="sm" variant={category ? 'secondary' : 'default'} onClick={() => setCategory(undefined)}>
          All
        </Button>
        {data?.categories.map((option) => (
          <Button key={option.id} size="sm" variant={category === option.id ? 'default' : 'secondary'} aria-pressed={category === option.id} onClick={() => setCategory(option.id)}>
            {option.label}
          </Button>
        ))}
      </nav>
      {following.length > 0 && <Section title="Following" empty="" events={following} zapTotals={zapTotals} />}
      <Section title="Live now" empty="Nobody is live right now. Go live yourself!" events={live} zapTotals={zapTotals} />
      <Section title="Planned" empty="No planned streams." events={planned.slice(0, 12)} zapTotals={zapTotals} />
      <Section title="Recent" empty="No recordings yet." events={recent.slice(0, 12)} zapTotals={zapTotals} />
    </div>
  );
}

function Section({ title, empty, events, zapTotals }: { title: string; empty: string; events: ReturnType<typeof useLiveEvents>; zapTotals: ZapTotals }) {
  return (
    <section aria-label={title}>
      <h2 className="mb-3 text-lg font-semibold">{title}</h2>
      {events.length === 0 ? (
        <p className="text-sm text-muted">{empty}</p>
      ) : (
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4">
          {events.map((event) => (
            <StreamCard key={event.id} event={event} zapTotalSats={zapTotals.get(liveEventAddress(event))} />
          ))}
        </div>
      )}
    </section>
  );
}

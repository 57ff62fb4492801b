import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import type { CategoriesView } from '../../../src/protocol/api-views';
import { isInCategory, type Category } from '../../../src/protocol/categories';
import { KIND } from '../../../src/protocol/kinds';
import { SearchBox, useStreamSearch } from '../components/discovery/search-box';
import { StreamSection } from '../components/discovery/stream-section';
import { matchesSearch, searchWords } from '../components/discovery/stream-search';
import { useHostNames } from '../components/discovery/use-host-names';
import { Button } from '../components/ui/button';
import { api } from '../lib/api';
import { useContactList } from '../lib/contacts';
import { isReallyLive, useLiveEventFeed } from '../lib/live-events';
import { useMuteList } from '../lib/mute-list';
import { useRelays } from '../lib/nostr';
import { useLiveZapTotals } from '../lib/zap-totals';

/** Discovery: who is live now (any NIP-53 service on our relays), what is planned, recent recordings; searchable by title, tag and streamer. */
export function HomePage() {
  const relays = useRelays();
  const [category, setCategory] = useState<Category>();
  const [query, setQuery] = useStreamSearch();
  const { data } = useQuery({ queryKey: ['categories'], queryFn: () => api<CategoriesView>('/api/v1/categories'), staleTime: Infinity });
  const { events, loaded } = useLiveEventFeed(relays, { kinds: [KIND.liveEvent], limit: 200 });
  const { muted } = useMuteList();
  const zapTotals = useLiveZapTotals();
  const words = searchWords(query);
  const searching = words.length > 0;
  // Names are only needed to search by them; the cards read the same cache.
  const hostNames = useHostNames(searching ? events.map((event) => event.host) : []);
  const visible = events.filter(
    (event) => !muted.has(event.host) && (!category || isInCategory(event, category)) && (!searching || matchesSearch(event, words, hostNames.get(event.host) ?? [])),
  );
  const live = visible.filter((event) => isReallyLive(event)).sort((a, b) => (b.currentParticipants ?? 0) - (a.currentParticipants ?? 0));
  // Signed out, nobody is followed and the row is not shown.
  const { follows } = useContactList();
  const following = live.filter((event) => follows.has(event.host));
  const planned = visible.filter((event) => event.status === 'planned').sort((a, b) => (a.starts ?? Number.MAX_SAFE_INTEGER) - (b.starts ?? Number.MAX_SAFE_INTEGER));
  const recent = visible.filter((event) => event.status === 'ended' && event.recording).sort((a, b) => (b.ends ?? 0) - (a.ends ?? 0));
  const loading = !loaded;
  const found = live.length + planned.length + recent.length;
  const nothingFound = searching && loaded && found === 0;
  // Searching, a row with nothing to show is left out rather than saying it is empty.
  const shown = (rowEvents: unknown[]) => !searching || loading || rowEvents.length > 0;

  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <SearchBox query={query} onChange={setQuery} />
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
      </div>
      {/* Announced as it changes, so a screen reader hears what typing found. */}
      <p role="status" className={nothingFound ? 'text-sm text-muted' : 'sr-only'}>
        {nothingFound ? `No streams match “${query.trim()}”` : searching && loaded ? `${found} ${found === 1 ? 'stream matches' : 'streams match'} “${query.trim()}”` : ''}
      </p>
      {following.length > 0 && <StreamSection title="Following" empty="" events={following} zapTotals={zapTotals} />}
      {shown(live) && (
        <StreamSection
          title="Live now"
          empty={
            <>
              Nobody is live right now.{' '}
              <Link href="/go-live" className="font-medium text-accent underline underline-offset-4">
                Go live yourself!
              </Link>
            </>
          }
          events={live}
          loading={loading && { text: 'Loading live streams', cards: 4 }}
          zapTotals={zapTotals}
        />
      )}
      {shown(planned) && (
        <StreamSection
          title="Planned"
          empty="No planned streams."
          events={planned.slice(0, 12)}
          loading={loading && { text: 'Loading planned streams', cards: 2 }}
          zapTotals={zapTotals}
        />
      )}
      {shown(recent) && (
        <StreamSection title="Recent" empty="No recordings yet." events={recent.slice(0, 12)} loading={loading && { text: 'Loading recordings', cards: 2 }} zapTotals={zapTotals} />
      )}
    </div>
  );
}

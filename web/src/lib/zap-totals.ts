import { useQuery } from '@tanstack/react-query';
import { formatCoordinate, liveEventCoordinate } from '../../../src/protocol/coordinate';
import type { StreamPage, StreamView } from '../../../src/protocol/api-views';
import { api } from './api';

/** What the host was zapped, per 30311 coordinate of our streams (the event's real author: the service's key or the streamer's). */
export type ZapTotals = ReadonlyMap<string, number>;

/**
 * The API's totals for the streams of a list answer; a card finds its own by its event's coordinate,
 * so another service's event with one of our ids gets none.
 *
 *   const totals = zapTotalsOf(page.streams);  // totals.get(liveEventAddress(event))
 */
export function zapTotalsOf(streams: readonly StreamView[]): ZapTotals {
  return new Map(streams.map((stream) => [formatCoordinate(liveEventCoordinate(stream.event_pubkey, stream.stream_id)), stream.zap_total_sats]));
}

/** The totals of our live streams, for discovery: one list call (the API groups the totals of a page), not one per card. */
export function useLiveZapTotals(): ZapTotals {
  const { data } = useQuery({
    queryKey: ['live-streams'],
    queryFn: () => api<StreamPage>('/api/v1/streams/live?limit=100'),
  });
  return data ? zapTotalsOf(data.streams) : new Map();
}

import { useEffect, useState } from 'react';
import type { Filter } from 'nostr-tools/filter';
import { parseLiveEvent, type LiveEvent } from '../../../src/protocol/live-event';
import { formatCoordinate } from '../../../src/protocol/coordinate';
import { KIND } from '../../../src/protocol/kinds';
import { unixNow } from '../../../src/protocol/time';
import { pool } from './nostr';

/** A live event not refreshed for this long is not shown as live (we republish every 5 min). */
export const SILENT_AFTER_SECONDS = 15 * 60;

export function isReallyLive(event: LiveEvent, now = unixNow()): boolean {
  return event.status === 'live' && now - event.createdAt < SILENT_AFTER_SECONDS;
}

function isNewer(event: LiveEvent, than: LiveEvent | undefined): boolean {
  return than === undefined || event.createdAt > than.createdAt;
}

/** Several lists of live events as one: one event per address, the newest. */
export function mergeLiveEvents(...lists: LiveEvent[][]): LiveEvent[] {
  const byAddress = new Map<string, LiveEvent>();
  for (const event of lists.flat()) {
    const address = formatCoordinate(event.coordinate);
    if (isNewer(event, byAddress.get(address))) byAddress.set(address, event);
  }
  return [...byAddress.values()];
}

/**
 * Kind 30311 events matching the filter, kept current from a live subscription: the
 * newest per address wins, as relays and NIP-01 agree.
 *
 *   const events = useLiveEvents(relays, { kinds: [KIND.liveEvent], '#status': ['live'] });
 */
export function useLiveEvents(relays: string[], filter: Filter | undefined): LiveEvent[] {
  const [events, setEvents] = useState<Map<string, LiveEvent>>(new Map());
  const key = JSON.stringify([relays, filter]);
  useEffect(() => {
    if (relays.length === 0 || !filter) return;
    setEvents(new Map());
    const subscription = pool.subscribeMany(relays, { ...filter, kinds: [KIND.liveEvent] }, {
      onevent: (event) => {
        const parsed = parseLiveEvent(event);
        if (!parsed.ok) return;
        const address = formatCoordinate(parsed.value.coordinate);
        setEvents((previous) => (isNewer(parsed.value, previous.get(address)) ? new Map(previous).set(address, parsed.value) : previous));
      },
    });
    return () => subscription.close();
    // `key` stands for relays and filter by value.
  }, [key]);
  return [...events.values()];
}

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

/** How long discovery waits for a relay's EOSE before showing what it has (a hung relay must not keep the skeletons forever). */
const STORED_EVENTS_WAIT_MS = 4000;

/** Kind 30311 events as they stand, and whether the relays have sent what they hold (EOSE, or the wait ran out). */
export interface LiveEventFeed {
  readonly events: LiveEvent[];
  readonly loaded: boolean;
}

/**
 * Kind 30311 events matching the filter, kept current from a live subscription: the
 * newest per address wins, as relays and NIP-01 agree. `loaded` tells "nothing yet" from "nothing there".
 *
 *   const { events, loaded } = useLiveEventFeed(relays, { kinds: [KIND.liveEvent], limit: 200 });
 */
export function useLiveEventFeed(relays: string[], filter: Filter | undefined): LiveEventFeed {
  const [events, setEvents] = useState<Map<string, LiveEvent>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const key = JSON.stringify([relays, filter]);
  useEffect(() => {
    if (relays.length === 0 || !filter) return;
    setEvents(new Map());
    setLoaded(false);
    const subscription = pool.subscribeMany(relays, { ...filter, kinds: [KIND.liveEvent] }, {
      maxWait: STORED_EVENTS_WAIT_MS,
      onevent: (event) => {
        const parsed = parseLiveEvent(event);
        if (!parsed.ok) return;
        const address = formatCoordinate(parsed.value.coordinate);
        setEvents((previous) => (isNewer(parsed.value, previous.get(address)) ? new Map(previous).set(address, parsed.value) : previous));
      },
      // Every relay answered, failed or timed out.
      oneose: () => setLoaded(true),
    });
    return () => subscription.close();
    // `key` stands for relays and filter by value.
  }, [key]);
  return { events: [...events.values()], loaded };
}

/**
 * The events of `useLiveEventFeed` alone, for pages that need not tell loading from empty.
 *
 *   const events = useLiveEvents(relays, { kinds: [KIND.liveEvent], '#status': ['live'] });
 */
export function useLiveEvents(relays: string[], filter: Filter | undefined): LiveEvent[] {
  return useLiveEventFeed(relays, filter).events;
}

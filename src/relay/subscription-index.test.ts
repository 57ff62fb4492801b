import { describe, expect, it } from 'vitest';
import type { NostrEvent } from '../protocol/nostr-event.js';
import { matchesFilter, type Filter } from './filter.js';
import { SubscriptionRegistry, type Subscriber } from './subscriptions.js';

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A small universe, so that filters and events meet often.
const hex = (n: number) => n.toString(16).padStart(64, '0');
const IDS = Array.from({ length: 6 }, (_, i) => hex(i + 1));
const PUBKEYS = Array.from({ length: 4 }, (_, i) => hex(100 + i));
const KINDS = [1, 7, 1311, 9735, 30311];
const TAG_NAMES = ['a', 'e', 'p', 't'];
const TAG_VALUES = ['x', 'y', 'z', IDS[0] as string];

describe('SubscriptionRegistry matching through its index', () => {
  it('matches exactly what a scan of every filter with matchesFilter matches, over many random filters and events', () => {
    const next = random(20);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
    const some = <T>(values: readonly T[]): T[] => [...new Set(Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(values)))];

    const randomFilter = (): Filter => {
      const filter: Filter = {};
      if (next() < 0.15) filter.ids = some(IDS);
      if (next() < 0.35) filter.authors = some(PUBKEYS);
      if (next() < 0.6) filter.kinds = some(KINDS);
      for (const name of TAG_NAMES) if (next() < 0.25) filter[`#${name}`] = some(TAG_VALUES);
      if (next() < 0.2) filter.since = 90 + Math.floor(next() * 20);
      if (next() < 0.2) filter.until = next() < 0.1 ? 0 : 95 + Math.floor(next() * 20);
      return filter;
    };
    const randomEvent = (): NostrEvent => ({
      id: pick(IDS),
      pubkey: pick(PUBKEYS),
      kind: pick(KINDS),
      created_at: 85 + Math.floor(next() * 35),
      content: '',
      tags: Array.from({ length: Math.floor(next() * 4) }, () => [pick(TAG_NAMES), pick(TAG_VALUES)]),
      sig: '',
    });

    const registry = new SubscriptionRegistry();
    const subscribers: Subscriber[] = Array.from({ length: 30 }, () => ({ deliver: () => undefined }));
    // What the registry should hold, scanned the old way.
    const open = new Map<string, { subscriber: Subscriber; id: string; filters: Filter[] }>();
    let compared = 0;
    let matched = 0;
    for (let round = 0; round < 3000; round += 1) {
      const subscriber = pick(subscribers);
      const id = `s${Math.floor(next() * 4)}`;
      const key = `${subscribers.indexOf(subscriber)}/${id}`;
      const action = next();
      if (action < 0.6) {
        const filters = Array.from({ length: 1 + Math.floor(next() * 3) }, randomFilter);
        registry.set(subscriber, id, filters);
        open.set(key, { subscriber, id, filters });
      } else if (action < 0.7) {
        registry.delete(subscriber, id);
        open.delete(key);
      } else if (action < 0.72) {
        registry.deleteAll(subscriber);
        for (const [k, subscription] of open) if (subscription.subscriber === subscriber) open.delete(k);
      } else {
        const event = randomEvent();
        const expected = [...open.values()]
          .filter(({ filters }) => filters.some((filter) => matchesFilter(event, filter)))
          .map(({ subscriber: s, id: i }) => `${subscribers.indexOf(s)}/${i}`)
          .sort();
        const actual = registry.matching(event).map(({ subscriber: s, id: i }) => `${subscribers.indexOf(s)}/${i}`);
        expect(actual.slice().sort(), JSON.stringify(event)).toEqual(expected);
        // Each subscription once, even when two of its filters match.
        expect(new Set(actual).size).toBe(actual.length);
        compared += 1;
        matched += expected.length;
      }
    }
    // The universe is small enough that the comparison was not only of empty answers.
    expect(compared).toBeGreaterThan(500);
    expect(matched).toBeGreaterThan(compared);
  });

  it('drops filters that can never match, and finds a stream chat subscription by its a tag', () => {
    const registry = new SubscriptionRegistry();
    const subscriber: Subscriber = { deliver: () => undefined };
    const coordinate = `30311:${hex(100)}:live`;
    registry.set(subscriber, 'chat', [{ kinds: [1311], '#a': [coordinate] }, { kinds: [] }]);
    const chat: NostrEvent = { id: hex(1), pubkey: hex(101), kind: 1311, created_at: 1, content: 'hi', tags: [['a', coordinate]], sig: '' };
    expect(registry.matching(chat).map(({ id }) => id)).toEqual(['chat']);
    expect(registry.matching({ ...chat, tags: [['a', `${coordinate}-other`]] })).toEqual([]);
    registry.delete(subscriber, 'chat');
    expect(registry.matching(chat)).toEqual([]);
  });
});

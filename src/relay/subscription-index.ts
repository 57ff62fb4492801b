import type { NostrEvent } from '../protocol/nostr-event.js';
import { matchesFilter, tagConditions, type Filter } from './filter.js';

/**
 * Filters looked up by what an event carries, so that matching a new event against every
 * open subscription reads only the filters that could match it. Each filter is filed under
 * one condition it must meet (its ids, else a tag's values, else its authors, else its
 * kinds); an event is then checked against the filters filed under its id, its pubkey, its
 * kind and each of its tags, plus the few filters with none of these, which are always
 * checked. The final word is `matchesFilter`'s, so the answers are exactly those of a scan.
 *
 *   const index = new FilterIndex<Subscription>();
 *   index.add(filter, subscription);
 *   index.forEachMatch(event, (subscription) => deliver(subscription));   // once per (filter, value)
 */
export class FilterIndex<T> {
  private readonly buckets = new Map<string, Set<Entry<T>>>();
  /** Filters with no ids, tags, authors or kinds: they match nearly everything anyway. */
  private readonly unkeyed = new Set<Entry<T>>();
  private readonly entries = new Map<T, Entry<T>[]>();
  /** Bumped per lookup: an entry reached through two of an event's keys is checked once. */
  private stamp = 0;

  add(filter: Filter, value: T): void {
    const entry: Entry<T> = { filter, value, stamp: 0, keys: keysOf(filter) };
    if (entry.keys.length === 0) this.unkeyed.add(entry);
    for (const key of entry.keys) {
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = new Set();
        this.buckets.set(key, bucket);
      }
      bucket.add(entry);
    }
    const list = this.entries.get(value);
    if (list) list.push(entry);
    else this.entries.set(value, [entry]);
  }

  /** Removes every filter added with `value`. */
  delete(value: T): void {
    for (const entry of this.entries.get(value) ?? []) {
      this.unkeyed.delete(entry);
      for (const key of entry.keys) {
        const bucket = this.buckets.get(key);
        bucket?.delete(entry);
        if (bucket?.size === 0) this.buckets.delete(key);
      }
    }
    this.entries.delete(value);
  }

  /** Calls `visit` with the value of every filter the event matches (a value with two matching filters, twice). */
  forEachMatch(event: NostrEvent, visit: (value: T) => void): void {
    const stamp = (this.stamp += 1);
    const check = (entries: Set<Entry<T>> | undefined) => {
      if (!entries) return;
      for (const entry of entries) {
        if (entry.stamp === stamp) continue;
        entry.stamp = stamp;
        if (matchesFilter(event, entry.filter)) visit(entry.value);
      }
    };
    check(this.buckets.get(`id:${event.id}`));
    check(this.buckets.get(`author:${event.pubkey}`));
    check(this.buckets.get(`kind:${event.kind}`));
    for (const [name, tagValue] of event.tags) {
      if (name !== undefined && tagValue !== undefined) check(this.buckets.get(tagKey(name, tagValue)));
    }
    check(this.unkeyed);
  }
}

interface Entry<T> {
  readonly filter: Filter;
  readonly value: T;
  readonly keys: readonly string[];
  stamp: number;
}

/**
 * The keys a filter is filed under: the values of its most selective condition, any one of
 * which an event must carry to match. Ids and tag values (a stream's `a`, a reply's `e`, a
 * mention's `p`) pick out a few events; authors more; kinds the most.
 */
function keysOf(filter: Filter): string[] {
  if (filter.ids) return filter.ids.map((id) => `id:${id}`);
  const tags = tagConditions(filter).sort(([, a], [, b]) => a.length - b.length)[0];
  if (tags) return tags[1].map((value) => tagKey(tags[0], value));
  if (filter.authors) return filter.authors.map((author) => `author:${author}`);
  if (filter.kinds) return filter.kinds.map((kind) => `kind:${kind}`);
  return [];
}

const tagKey = (name: string, value: string) => `#${name}\u0000${value}`;

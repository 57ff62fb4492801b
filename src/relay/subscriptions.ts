import type { NostrEvent } from '../protocol/nostr-event.js';
import { isEmptyFilter, matchesFilter, type Filter } from './filter.js';
import type { StreamAccess } from './private-streams.js';

/** Someone holding subscriptions: a WebSocket connection, in practice. */
export interface Subscriber {
  /** What it proved with NIP-42 AUTH: which private streams' events it is sent. */
  readonly access?: StreamAccess;
  deliver(subscriptionId: string, event: NostrEvent): void;
}

/**
 * Every open subscription of every connection, matched against each new event.
 *
 *   registry.set(connection, 'sub1', filters);
 *   for (const [subscriber, id] of registry.matching(event)) subscriber.deliver(id, event);
 */
export class SubscriptionRegistry {
  private readonly bySubscriber = new Map<Subscriber, Map<string, readonly Filter[]>>();

  /** Opens a subscription, or replaces the one with the same id. */
  set(subscriber: Subscriber, id: string, filters: readonly Filter[]): void {
    let subscriptions = this.bySubscriber.get(subscriber);
    if (!subscriptions) {
      subscriptions = new Map();
      this.bySubscriber.set(subscriber, subscriptions);
    }
    subscriptions.set(
      id,
      filters.filter((filter) => !isEmptyFilter(filter)),
    );
  }

  has(subscriber: Subscriber, id: string): boolean {
    return this.bySubscriber.get(subscriber)?.has(id) ?? false;
  }

  count(subscriber: Subscriber): number {
    return this.bySubscriber.get(subscriber)?.size ?? 0;
  }

  delete(subscriber: Subscriber, id: string): void {
    this.bySubscriber.get(subscriber)?.delete(id);
  }

  deleteAll(subscriber: Subscriber): void {
    this.bySubscriber.delete(subscriber);
  }

  *matching(event: NostrEvent): Generator<[Subscriber, string]> {
    for (const [subscriber, subscriptions] of this.bySubscriber) {
      for (const [id, filters] of subscriptions) {
        if (filters.some((filter) => matchesFilter(event, filter))) yield [subscriber, id];
      }
    }
  }
}

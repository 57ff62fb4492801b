import type { NostrEvent } from '../protocol/nostr-event.js';
import { isEmptyFilter, type Filter } from './filter.js';
import type { StreamAccess } from './private-streams.js';
import { FilterIndex } from './subscription-index.js';

/** Someone holding subscriptions: a WebSocket connection, in practice. */
export interface Subscriber {
  /** What it proved with NIP-42 AUTH: which private streams' events it is sent. */
  readonly access?: StreamAccess;
  /** `json` is `JSON.stringify(event)`, made once for every subscriber of the event. */
  deliver(subscriptionId: string, event: NostrEvent, json: string): void;
}

/** One open subscription. */
export interface Subscription {
  readonly subscriber: Subscriber;
  readonly id: string;
  readonly filters: readonly Filter[];
}

/**
 * Every open subscription of every connection, matched against each new event through a
 * FilterIndex (a stream's chat is found by its `a` tag, not by checking every subscription).
 *
 *   registry.set(connection, 'sub1', filters);
 *   for (const { subscriber, id } of registry.matching(event)) subscriber.deliver(id, event, json);
 */
export class SubscriptionRegistry {
  private readonly bySubscriber = new Map<Subscriber, Map<string, Subscription>>();
  private readonly index = new FilterIndex<Subscription>();

  /** Opens a subscription, or replaces the one with the same id. */
  set(subscriber: Subscriber, id: string, filters: readonly Filter[]): void {
    let subscriptions = this.bySubscriber.get(subscriber);
    if (!subscriptions) {
      subscriptions = new Map();
      this.bySubscriber.set(subscriber, subscriptions);
    }
    const previous = subscriptions.get(id);
    if (previous) this.index.delete(previous);
    const subscription: Subscription = { subscriber, id, filters: filters.filter((filter) => !isEmptyFilter(filter)) };
    subscriptions.set(id, subscription);
    for (const filter of subscription.filters) this.index.add(filter, subscription);
  }

  has(subscriber: Subscriber, id: string): boolean {
    return this.bySubscriber.get(subscriber)?.has(id) ?? false;
  }

  count(subscriber: Subscriber): number {
    return this.bySubscriber.get(subscriber)?.size ?? 0;
  }

  /** The subscriber's open subscription ids. */
  ids(subscriber: Subscriber): string[] {
    return [...(this.bySubscriber.get(subscriber)?.keys() ?? [])];
  }

  delete(subscriber: Subscriber, id: string): void {
    const subscriptions = this.bySubscriber.get(subscriber);
    const subscription = subscriptions?.get(id);
    if (!subscriptions || !subscription) return;
    this.index.delete(subscription);
    subscriptions.delete(id);
  }

  deleteAll(subscriber: Subscriber): void {
    for (const subscription of this.bySubscriber.get(subscriber)?.values() ?? []) this.index.delete(subscription);
    this.bySubscriber.delete(subscriber);
  }

  /** The subscriptions one of whose filters the event matches, each once. */
  matching(event: NostrEvent): Subscription[] {
    const matched = new Set<Subscription>();
    this.index.forEachMatch(event, (subscription) => matched.add(subscription));
    return [...matched];
  }
}

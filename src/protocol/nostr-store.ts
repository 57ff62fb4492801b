import type { Filter as NostrFilter } from 'nostr-tools/filter';
import type { NostrEvent } from './nostr-event.js';

/**
 * Somewhere events are written to and read from: the built-in relay, an external relay.
 * The shape is Nostrify's `NStore` (`@nostrify/types`), method for method, so either side
 * can later be swapped for a Nostrify store (or the type imported) without touching the
 * callers. Written here rather than depended on: the service needs these two methods, and
 * their event and filter types are the nostr-tools ones it already uses everywhere.
 *
 *   await store.event(event);                                     // rejects with the refusal
 *   const [last] = await store.query([{ kinds: [30311], '#d': [id], limit: 1 }]);
 */
export interface NostrStore {
  /** Resolves once the store has taken the event; rejects with a `RefusedEvent` when it refuses it. */
  event(event: NostrEvent, options?: { signal?: AbortSignal }): Promise<void>;
  query(filters: NostrFilter[], options?: { signal?: AbortSignal }): Promise<NostrEvent[]>;
}

/** A store's refusal of an event, with the NIP-01 `OK false` message (`blocked: …`, `rate-limited: …`). */
export class RefusedEvent extends Error {
  override readonly name = 'RefusedEvent';
}

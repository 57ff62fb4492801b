import type { Filter as NostrFilter } from 'nostr-tools/filter';
import { RefusedEvent, type NostrStore } from '../protocol/nostr-store.js';
import { parseFilter, type Filter } from './filter.js';
import type { Relay } from './relay.js';

/**
 * The built-in relay as a store for the service's own events. They take the way a client's
 * EVENT takes (shape, signature, every policy, then storage and the subscribers), so no rule
 * of the relay is skipped for them; rules that must not apply to the service's key say so
 * themselves.
 *
 *   const store = relayStore(relay);
 *   await store.event(liveEvent);   // rejects with a RefusedEvent carrying the OK message
 */
export function relayStore(relay: Relay): NostrStore {
  return {
    async event(event) {
      const verdict = await relay.accept(event);
      if (!verdict.accepted) throw new RefusedEvent(verdict.message);
    },
    async query(filters) {
      return relay.query(filters.map(parsed));
    },
  };
}

function parsed(filter: NostrFilter): Filter {
  const result = parseFilter(filter);
  if (typeof result === 'string') throw new Error(`the service asked its relay with a bad filter: ${result}`);
  return result;
}

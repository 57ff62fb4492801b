import type { NostrEvent } from '../../protocol/nostr-event.js';
import { unixNow } from '../../protocol/time.js';
import { expirationOf } from '../event-kinds.js';
import type { Policy } from './policy.js';

/**
 * NIP-40: an event that has already expired is not accepted.
 *
 *   new ExpirationPolicy()
 */
export class ExpirationPolicy implements Policy {
  constructor(private readonly now: () => number = unixNow) {}

  check(event: NostrEvent): string | undefined {
    const expiration = expirationOf(event);
    return expiration !== null && expiration <= this.now() ? 'invalid: this event has expired' : undefined;
  }
}

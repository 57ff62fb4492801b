import type { NostrEvent } from '../../protocol/nostr-event.js';
import { unixNow } from '../../protocol/time.js';
import type { Policy } from './policy.js';

/**
 * Refuses events dated too far in the past or the future (NIP-11 `created_at_*_limit`).
 *
 *   new CreatedAtPolicy({ lowerLimit: 5 * 365 * 86400, upperLimit: 900 })
 */
export class CreatedAtPolicy implements Policy {
  constructor(
    private readonly limits: { lowerLimit: number; upperLimit: number },
    private readonly now: () => number = unixNow,
  ) {}

  check(event: NostrEvent): string | undefined {
    const now = this.now();
    if (event.created_at > now + this.limits.upperLimit) {
      return `invalid: created_at is more than ${this.limits.upperLimit} seconds in the future`;
    }
    if (event.created_at < now - this.limits.lowerLimit) {
      return `invalid: created_at is more than ${this.limits.lowerLimit} seconds in the past`;
    }
    return undefined;
  }
}

import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { Policy } from './policy.js';

/**
 * Refuses events whose content or tag list is longer than the relay advertises.
 *
 *   new SizePolicy({ maxContentLength: 65536, maxEventTags: 2000 })
 */
export class SizePolicy implements Policy {
  constructor(private readonly limits: { maxContentLength: number; maxEventTags: number }) {}

  check(event: NostrEvent): string | undefined {
    if (event.content.length > this.limits.maxContentLength) {
      return `invalid: content is longer than ${this.limits.maxContentLength} characters`;
    }
    if (event.tags.length > this.limits.maxEventTags) {
      return `invalid: more than ${this.limits.maxEventTags} tags`;
    }
    return undefined;
  }
}

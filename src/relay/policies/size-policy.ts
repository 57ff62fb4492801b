import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { Policy } from './policy.js';

/**
 * Refuses events whose content or tag list is longer than the relay advertises. NIP-11
 * counts `max_content_length` in Unicode characters (code points), not UTF-16 units: an
 * emoji is one character, though JavaScript's `length` says two.
 *
 *   new SizePolicy({ maxContentLength: 65536, maxEventTags: 2000 })
 */
export class SizePolicy implements Policy {
  constructor(private readonly limits: { maxContentLength: number; maxEventTags: number }) {}

  check(event: NostrEvent): string | undefined {
    if (characterCount(event.content, this.limits.maxContentLength) > this.limits.maxContentLength) {
      return `invalid: content is longer than ${this.limits.maxContentLength} characters`;
    }
    if (event.tags.length > this.limits.maxEventTags) {
      return `invalid: more than ${this.limits.maxEventTags} tags`;
    }
    return undefined;
  }
}

/** Code points in `text`; skips the count when even its UTF-16 length is within `limit`. */
function characterCount(text: string, limit: number): number {
  return text.length <= limit ? text.length : [...text].length;
}

import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { Policy } from './policy.js';

/**
 * Refuses NUL characters in the content or any tag: PostgreSQL text cannot hold them, and
 * an event one engine keeps must be one the other keeps too.
 *
 *   new TextPolicy()
 */
export class TextPolicy implements Policy {
  check(event: NostrEvent): string | undefined {
    if (event.content.includes('\u0000')) return 'invalid: content must not contain NUL (\\u0000) characters';
    if (event.tags.some((tag) => tag.some((value) => value.includes('\u0000')))) {
      return 'invalid: tags must not contain NUL (\\u0000) characters';
    }
    return undefined;
  }
}

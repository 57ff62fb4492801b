import { classifyKind } from 'nostr-tools/kinds';
import type { NostrEvent } from '../protocol/nostr-event.js';

/**
 * The slot a replaceable or addressable event occupies: (kind, pubkey, d). Replaceable
 * events have an empty d; regular and ephemeral events have no slot.
 */
export function replacementSlot(event: Pick<NostrEvent, 'kind' | 'tags'>): string | null {
  switch (classifyKind(event.kind)) {
    case 'replaceable':
      return '';
    case 'parameterized':
      return event.tags.find((tag) => tag[0] === 'd')?.[1] ?? '';
    default:
      return null;
  }
}

/** NIP-01 tie-break: the newer event wins; at the same second, the lower id. */
export function supersedes(
  candidate: Pick<NostrEvent, 'created_at' | 'id'>,
  stored: Pick<NostrEvent, 'created_at' | 'id'>,
): boolean {
  if (candidate.created_at !== stored.created_at) return candidate.created_at > stored.created_at;
  return candidate.id < stored.id;
}

/** NIP-40: the Unix second after which the event must not be served, if it has one. */
export function expirationOf(event: Pick<NostrEvent, 'tags'>): number | null {
  const value = event.tags.find((tag) => tag[0] === 'expiration')?.[1];
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value);
}

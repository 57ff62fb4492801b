import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { Filter } from '../filter.js';

/** What saving an event did, in NIP-01 `OK` terms: a refusal carries its prefixed message. */
export type SaveResult = { readonly ok: true; readonly message: string } | { readonly ok: false; readonly message: string };

/**
 * Where the relay keeps events. The relay and the service's own publisher both speak it,
 * so code that reads events does not care whether it has the database or a remote relay.
 *
 *   const result = await store.save(event);          // replaceable rules, NIP-09, duplicates
 *   const events = await store.query([filter], 500); // newest first
 */
export interface EventStore {
  save(event: NostrEvent): Promise<SaveResult>;
  /** Events matching any filter, newest first, at most each filter's limit (capped by `maxLimit`). */
  query(filters: readonly Filter[], maxLimit: number): Promise<NostrEvent[]>;
  /**
   * Bytes of content and tags the pubkey has stored, leaving out the event in `replacing`'s
   * slot (the one a replaceable or addressable event would replace).
   */
  storedBytes(pubkey: string, replacing?: { readonly kind: number; readonly slot: string }): Promise<number>;
  /** NIP-40: removes expired events; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

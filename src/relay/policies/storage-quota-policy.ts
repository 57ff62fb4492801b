import { KIND } from '../../protocol/kinds.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import { classifyKind } from 'nostr-tools/kinds';
import { replacementSlot } from '../event-kinds.js';
import type { EventStore } from '../store/event-store.js';
import type { Policy } from './policy.js';

/**
 * Bounds what one pubkey keeps on this relay, in bytes of content and tags. A replaceable or
 * addressable event is measured in place of the version it replaces, so updating a profile
 * never counts twice; deletions are exempt, so that a full key can always make room.
 *
 * The service's own key is not bounded: it keeps one live event per public stream, and the
 * ended ones for good (each stream's lasting record), so a quota meant for one person would
 * in time refuse the service its own new streams.
 *
 *   new StorageQuotaPolicy(store, 32 * 1024 * 1024, servicePubkey)
 */
export class StorageQuotaPolicy implements Policy {
  constructor(
    private readonly store: Pick<EventStore, 'storedBytes'>,
    private readonly maxBytes: number,
    private readonly servicePubkey: string,
  ) {}

  async check(event: NostrEvent): Promise<string | undefined> {
    if (event.pubkey === this.servicePubkey || classifyKind(event.kind) === 'ephemeral' || event.kind === KIND.deletion) {
      return undefined;
    }
    const slot = replacementSlot(event);
    const used = await this.store.storedBytes(event.pubkey, slot === null ? undefined : { kind: event.kind, slot });
    if (used + eventBytes(event) <= this.maxBytes) return undefined;
    return `restricted: this relay keeps at most ${this.maxBytes} bytes of events per pubkey and you have ${used} stored; delete some (NIP-09) to make room`;
  }
}

/** What the store keeps of an event, as `storedBytes` measures it. */
function eventBytes(event: NostrEvent): number {
  return Buffer.byteLength(event.content) + Buffer.byteLength(JSON.stringify(event.tags));
}

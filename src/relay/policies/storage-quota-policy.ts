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
 * Measuring is a sum over every event the pubkey keeps, so it is not done per event: the
 * last measure, plus every event let through since, is an upper bound on what is stored (it
 * still counts what was replaced or deleted), and while that bound fits the event passes.
 * Only when it does not, or the measure is older than a few seconds (other nodes write too),
 * is the store measured again; a refusal always quotes a fresh measure.
 *
 * The service's own key is not bounded: it keeps one live event per public stream, and the
 * ended ones for good (each stream's lasting record), so a quota meant for one person would
 * in time refuse the service its own new streams.
 *
 *   new StorageQuotaPolicy(store, 32 * 1024 * 1024, servicePubkey)
 */
export class StorageQuotaPolicy implements Policy {
  /** Per pubkey: an upper bound on its stored bytes, and when the store was last measured. */
  private readonly bounds = new Map<string, { bytes: number; measuredAt: number }>();

  constructor(
    private readonly store: Pick<EventStore, 'storedBytes'>,
    private readonly maxBytes: number,
    private readonly servicePubkey: string,
  ) {}

  async check(event: NostrEvent): Promise<string | undefined> {
    if (event.pubkey === this.servicePubkey || classifyKind(event.kind) === 'ephemeral' || event.kind === KIND.deletion) {
      return undefined;
    }
    const bytes = eventBytes(event);
    const now = Date.now();
    const bound = this.bounds.get(event.pubkey);
    if (bound && now - bound.measuredAt < REMEASURE_AFTER_MS && bound.bytes + bytes <= this.maxBytes) {
      bound.bytes += bytes;
      return undefined;
    }
    const slot = replacementSlot(event);
    const used = await this.store.storedBytes(event.pubkey, slot === null ? undefined : { kind: event.kind, slot });
    const fits = used + bytes <= this.maxBytes;
    if (this.bounds.size >= MAX_TRACKED_PUBKEYS) this.bounds.clear();
    // A replacement's measure leaves out the version it replaces: not a bound on the whole.
    if (slot !== null) this.bounds.delete(event.pubkey);
    else this.bounds.set(event.pubkey, { bytes: fits ? used + bytes : used, measuredAt: now });
    if (fits) return undefined;
    return `restricted: this relay keeps at most ${this.maxBytes} bytes of events per pubkey and you have ${used} stored; delete some (NIP-09) to make room`;
  }
}

/** How long a measure stands for: about how long another node's writes may go uncounted here. */
const REMEASURE_AFTER_MS = 5000;
/** Pubkeys remembered at most; past it they are forgotten (and measured again), so memory stays bounded. */
const MAX_TRACKED_PUBKEYS = 50_000;

/** What the store keeps of an event, as `storedBytes` measures it. */
function eventBytes(event: NostrEvent): number {
  return Buffer.byteLength(event.content) + Buffer.byteLength(JSON.stringify(event.tags));
}

import { RateLimiter } from '../../abuse/rate-limiter.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { EventContext, Policy } from './policy.js';

export interface WriteRate {
  /** What is counted, as the refusal names it ("events", "chat messages"). */
  readonly what: string;
  readonly counts: (event: NostrEvent) => boolean;
  readonly perPubkey: number;
  readonly perAddress: number;
  /**
   * The service's own key, never counted: it signs every public stream's live event (one
   * per stream every 10 s while viewers come and go), so any per-pubkey limit meant for one
   * person would stop it publishing its own streams once a few are live.
   */
  readonly servicePubkey: string;
}

/**
 * Flood protection: the events a rule counts, per pubkey and per client address, per minute;
 * over the limit the relay answers `rate-limited:` and says how long to wait. The service's
 * own events pass through here like everyone's but are never counted.
 *
 *   new WriteRatePolicy({ what: 'chat messages', counts: isChat, perPubkey: 20, perAddress: 60, servicePubkey })
 */
export class WriteRatePolicy implements Policy {
  private readonly byPubkey: RateLimiter;
  private readonly byAddress: RateLimiter;

  constructor(
    private readonly rule: WriteRate,
    now: () => number = Date.now,
  ) {
    this.byPubkey = new RateLimiter({ limit: rule.perPubkey, windowMs: 60_000 }, now);
    this.byAddress = new RateLimiter({ limit: rule.perAddress, windowMs: 60_000 }, now);
  }

  check(event: NostrEvent, context: EventContext): string | undefined {
    if (event.pubkey === this.rule.servicePubkey || !this.rule.counts(event)) return undefined;
    const addressWait = context.address === undefined ? 0 : this.byAddress.take(context.address);
    if (addressWait > 0) return `rate-limited: too many ${this.rule.what} from this address; wait ${addressWait} s`;
    const pubkeyWait = this.byPubkey.take(event.pubkey);
    if (pubkeyWait > 0) return `rate-limited: you are sending ${this.rule.what} too fast; wait ${pubkeyWait} s`;
    return undefined;
  }
}

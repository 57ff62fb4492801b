import { RateLimiter } from '../../abuse/rate-limiter.js';
import { KIND } from '../../protocol/kinds.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { EventContext, Policy } from './policy.js';

/**
 * Chat flood protection: live chat messages and reactions are counted per pubkey and per
 * client address, per minute; over the limit the relay answers `rate-limited:`.
 *
 *   new ChatRatePolicy({ perPubkey: 20, perAddress: 60 })
 */
export class ChatRatePolicy implements Policy {
  private readonly byPubkey: RateLimiter;
  private readonly byAddress: RateLimiter;

  constructor(limits: { perPubkey: number; perAddress: number }, now: () => number = Date.now) {
    this.byPubkey = new RateLimiter({ limit: limits.perPubkey, windowMs: 60_000 }, now);
    this.byAddress = new RateLimiter({ limit: limits.perAddress, windowMs: 60_000 }, now);
  }

  check(event: NostrEvent, context: EventContext): string | undefined {
    if (event.kind !== KIND.liveChat && event.kind !== KIND.reaction) return undefined;
    const addressWait = context.address === undefined ? 0 : this.byAddress.take(context.address);
    if (addressWait > 0) return `rate-limited: too many chat messages from this address; wait ${addressWait} s`;
    const pubkeyWait = this.byPubkey.take(event.pubkey);
    if (pubkeyWait > 0) return `rate-limited: you are sending chat messages too fast; wait ${pubkeyWait} s`;
    return undefined;
  }
}

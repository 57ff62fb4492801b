import { RateLimiter } from '../../abuse/rate-limiter.js';
import { KIND } from '../../protocol/kinds.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { Policy } from './policy.js';

const HOUR_MS = 3_600_000;

/**
 * Reports (NIP-56) per reporter and per target, per hour: a host needs to hear about a chat,
 * not to be buried under one account's three hundred reports of it. The target is the stream
 * a report names (`a`), else the reported user (`p`).
 *
 *   new ReportRatePolicy(10)
 */
export class ReportRatePolicy implements Policy {
  private readonly reports: RateLimiter;

  constructor(perTargetPerHour: number, now: () => number = Date.now) {
    this.reports = new RateLimiter({ limit: perTargetPerHour, windowMs: HOUR_MS }, now);
  }

  check(event: NostrEvent): string | undefined {
    if (event.kind !== KIND.report) return undefined;
    const stream = event.tags.find((tag) => tag[0] === 'a')?.[1];
    const target = stream === undefined ? `p:${event.tags.find((tag) => tag[0] === 'p')?.[1] ?? ''}` : `a:${stream}`;
    const wait = this.reports.take(`${event.pubkey} ${target}`);
    if (wait === 0) return undefined;
    return `rate-limited: you have reported this ${stream === undefined ? 'user' : 'stream'} too often this hour; wait ${Math.ceil(wait / 60)} min`;
  }
}

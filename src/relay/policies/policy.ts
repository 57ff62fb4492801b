import type { NostrEvent } from '../../protocol/nostr-event.js';

/**
 * One rule an incoming event must pass. `check` answers undefined to let the event through,
 * or the NIP-01 `OK` message that refuses it (`invalid: …`, `blocked: …`, `rate-limited: …`).
 *
 *   const pipe = new PolicyPipe([new ContentLengthPolicy(65536), new ExpirationPolicy()]);
 *   const refusal = await pipe.check(event);   // first refusal wins
 */
export interface Policy {
  check(event: NostrEvent): Promise<string | undefined> | string | undefined;
}

export class PolicyPipe implements Policy {
  constructor(private readonly policies: readonly Policy[]) {}

  async check(event: NostrEvent): Promise<string | undefined> {
    for (const policy of this.policies) {
      const refusal = await policy.check(event);
      if (refusal) return refusal;
    }
    return undefined;
  }
}

import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { StreamAccess } from '../private-streams.js';

/**
 * One rule an incoming event must pass. `check` answers undefined to let the event through,
 * or the NIP-01 `OK` message that refuses it (`invalid: …`, `blocked: …`, `rate-limited: …`).
 *
 *   const pipe = new PolicyPipe([new ContentLengthPolicy(65536), new ExpirationPolicy()]);
 *   const refusal = await pipe.check(event);   // first refusal wins
 */
/** Where an event came from, for rules that count per client. */
export interface EventContext {
  /** The client's IP address; absent for the service's own events. */
  readonly address?: string;
  /** What the sending connection proved with NIP-42 AUTH (private streams it may write to). */
  readonly access?: StreamAccess;
}

export interface Policy {
  check(event: NostrEvent, context: EventContext): Promise<string | undefined> | string | undefined;
}

export class PolicyPipe implements Policy {
  constructor(private readonly policies: readonly Policy[]) {}

  async check(event: NostrEvent, context: EventContext = {}): Promise<string | undefined> {
    for (const policy of this.policies) {
      const refusal = await policy.check(event, context);
      if (refusal) return refusal;
    }
    return undefined;
  }
}

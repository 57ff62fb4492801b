import type { NostrEvent } from '../../protocol/nostr-event.js';

/** What verifying an event found: both checks passed, or which one failed. */
export type VerifyOutcome = 'valid' | 'bad-id' | 'bad-signature';

/**
 * Checks an event's id (recomputed) and its BIP-340 signature, and says which failed: the
 * client is told whether its id or its signature is wrong.
 *
 *   const outcome = await verifier.verify(event);
 *   if (outcome !== 'valid') refuse(outcome);
 */
export interface EventVerifier {
  verify(event: NostrEvent): Promise<VerifyOutcome>;
  close(): Promise<void>;
}

import type { NostrEvent } from '../../protocol/nostr-event.js';

/**
 * Checks an event's id (recomputed) and its BIP-340 signature.
 *
 *   if (!(await verifier.verify(event))) refuse('invalid: bad signature');
 */
export interface EventVerifier {
  verify(event: NostrEvent): Promise<boolean>;
  close(): Promise<void>;
}

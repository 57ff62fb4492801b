import type { EventTemplate } from '../../../src/protocol/event-template';
import type { NostrEvent } from '../../../src/protocol/nostr-event';

/**
 * Whatever signs for the signed-in user: a NIP-07 extension, a key kept in this browser,
 * or a NIP-46 remote signer. Every API call and every chat message goes through one.
 */
export interface Signer {
  readonly method: 'extension' | 'local' | 'bunker';
  getPublicKey(): Promise<string>;
  signEvent(template: EventTemplate): Promise<NostrEvent>;
  close?(): void;
}

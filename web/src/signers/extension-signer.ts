import type { EventTemplate } from '../../../src/protocol/event-template';
import type { NostrEvent } from '../../../src/protocol/nostr-event';
import type { Signer } from './signer';

interface Nip07 {
  getPublicKey(): Promise<string>;
  signEvent(template: EventTemplate): Promise<NostrEvent>;
}

declare global {
  interface Window {
    nostr?: Nip07;
  }
}

export const hasExtension = () => typeof window !== 'undefined' && window.nostr !== undefined;

/** NIP-07: the browser extension (Alby, nos2x, …) holds the key and asks the user to approve. */
export function extensionSigner(): Signer {
  const nostr = window.nostr;
  if (!nostr) throw new Error('No Nostr extension found: install Alby or nos2x, or sign in with a key.');
  return {
    method: 'extension',
    getPublicKey: () => nostr.getPublicKey(),
    signEvent: (template) => nostr.signEvent(template),
  };
}

import { nip19 } from 'nostr-tools';

/** `npub1abcd…wxyz`: who someone is when they have no profile name, on cards, in chat and on cover art. */
export function shortNpub(pubkey: string): string {
  const npub = nip19.npubEncode(pubkey);
  return `${npub.slice(0, 9)}…${npub.slice(-4)}`;
}

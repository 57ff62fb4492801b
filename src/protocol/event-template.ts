/** An event before it is signed: what builders return and signers (service key, NIP-07, NIP-46) sign. */
export interface EventTemplate {
  readonly kind: number;
  readonly created_at: number;
  readonly tags: string[][];
  readonly content: string;
}

/** The fields parsers read: any signed event (ours, nostr-tools', a relay's) has them. */
export interface ReceivedEvent {
  readonly id: string;
  readonly pubkey: string;
  readonly created_at: number;
  readonly kind: number;
  readonly tags: readonly (readonly string[])[];
  readonly content: string;
}

/** A relay hint as it goes in a tag: the URL, or an empty string when there is none. */
export const relayHint = (relay: string | undefined): string => relay ?? '';

/** A tag's optional text position: undefined when absent or empty. */
export const optional = (value: string | undefined): string | undefined => (value ? value : undefined);

import { z } from 'zod';

const hex = (length: number, name: string) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`), `${name} must be ${length} lowercase hex characters`);

/** A NIP-01 event as it arrives from the wire: shape only; id and signature are checked apart. */
export const nostrEventSchema = z.object({
  id: hex(64, 'id'),
  pubkey: hex(64, 'pubkey'),
  created_at: z.number().int().nonnegative(),
  kind: z.number().int().min(0).max(65535),
  tags: z.array(z.array(z.string())),
  content: z.string(),
  sig: hex(128, 'sig'),
});

export type NostrEvent = z.infer<typeof nostrEventSchema>;

/** True for a 64-character lowercase hex string: a pubkey or an event id. */
export const isHexPubkey = (value: string) => /^[0-9a-f]{64}$/.test(value);
export const isHexId = isHexPubkey;

type Tagged = { readonly tags: readonly (readonly string[])[] };

/** The first value of the first tag named `name`. */
export function tagValue(event: Tagged, name: string): string | undefined {
  return event.tags.find((tag) => tag[0] === name)?.[1];
}

/** The tags named `name`, in order. */
export function tagsNamed(event: Tagged, name: string): (readonly string[])[] {
  return event.tags.filter((tag) => tag[0] === name);
}

import { useQuery } from '@tanstack/react-query';
import { KIND } from '../../../src/protocol/kinds';
import type { NostrEvent } from '../../../src/protocol/nostr-event';
import { readNewest } from './relay-read';
import { useRelays } from './nostr';

/** The relays a NIP-65 list (kind 10002) says its author writes to: `r` tags marked `write` or unmarked. */
export function writeRelaysOf(list: NostrEvent | null): string[] {
  return (list?.tags ?? [])
    .filter((tag) => tag[0] === 'r' && tag[1] && /^wss?:\/\//.test(tag[1]) && (tag[2] === undefined || tag[2] === 'write'))
    .map((tag) => tag[1] ?? '');
}

/**
 * Where a user's own events are: our relays (the built-in one and the configured ones), then
 * the write relays of the user's NIP-65 list as found there.
 */
export async function userRelays(base: readonly string[], pubkey: string): Promise<string[]> {
  const { event } = await readNewest(base, { kinds: [KIND.relayList], authors: [pubkey] });
  return [...new Set([...base, ...writeRelaysOf(event)])];
}

/** `userRelays` for a pubkey, cached a few minutes. */
export function useUserRelays(pubkey: string | undefined) {
  const base = useRelays();
  return useQuery({
    queryKey: ['user-relays', pubkey, base],
    enabled: pubkey !== undefined && base.length > 0,
    staleTime: 5 * 60_000,
    queryFn: () => userRelays(base, pubkey ?? ''),
  });
}

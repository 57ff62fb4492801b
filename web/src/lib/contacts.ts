import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KIND } from '../../../src/protocol/kinds';
import type { NostrEvent } from '../../../src/protocol/nostr-event';
import { unixNow } from '../../../src/protocol/time';
import { pool, useRelays } from './nostr';
import { READ_TIMEOUT_MS, readNewest, type NewestRead } from './relay-read';
import { useSession } from './session';
import { userRelays, useUserRelays } from './user-relays';

/** The pubkeys a kind 3 follows. */
export function followsOf(list: NostrEvent | null | undefined): Set<string> {
  return new Set((list?.tags ?? []).filter((tag) => tag[0] === 'p' && tag[1]).map((tag) => tag[1] ?? ''));
}

/**
 * The list with `target` followed or not, and nothing else changed: every other tag keeps
 * its relay hint and petname, and the content (where some clients keep relay JSON) stays.
 */
export function changedContacts(list: NostrEvent | null, target: string, follow: boolean): { tags: string[][]; content: string } {
  const tags = list?.tags ?? [];
  const others = tags.filter((tag) => !(tag[0] === 'p' && tag[1] === target));
  const existing = tags.filter((tag) => tag[0] === 'p' && tag[1] === target);
  const kept = existing.length > 0 ? existing : [['p', target]];
  return { tags: follow ? [...others, ...kept] : others, content: list?.content ?? '' };
}

/**
 * The list to build on, or why there is none safe to build on. Replaceable events replace:
 * writing from anything but the newest list would unfollow everyone in it.
 */
export function baseForWrite(read: NewestRead): NostrEvent | null {
  const seconds = READ_TIMEOUT_MS / 1000;
  if (read.answered.length === 0) {
    throw new Error(
      `Your contact list could not be read: none of your relays (${read.silent.join(', ')}) answered within ${seconds} s. Nothing was changed; try again when they answer.`,
    );
  }
  if (!read.event && read.silent.length > 0) {
    throw new Error(
      `Your contact list was not found on the relays that answered, and ${read.silent.join(', ')} did not answer within ${seconds} s: it may be there. Nothing was changed, so nobody you follow is lost; try again when it answers.`,
    );
  }
  return read.event;
}

/**
 * The signed-in user's NIP-02 contact list (kind 3) and follow/unfollow. Each change reads
 * the newest list again from the user's relays (ours and their NIP-65 write relays) and
 * publishes to the same relays; it refuses when the list cannot be read.
 */
export function useContactList() {
  const { pubkey, signer } = useSession();
  const base = useRelays();
  const relays = useUserRelays(pubkey);
  const queryClient = useQueryClient();
  const queryKey = ['contacts', pubkey];
  const list = useQuery({
    queryKey,
    enabled: pubkey !== undefined && relays.data !== undefined,
    queryFn: async () => (await readNewest(relays.data ?? [], { kinds: [KIND.contacts], authors: [pubkey ?? ''] })).event,
  });
  const change = useMutation({
    mutationFn: async ({ target, follow }: { target: string; follow: boolean }) => {
      if (!signer || !pubkey) throw new Error('Sign in to follow people.');
      // Another app may have changed the list since it was loaded here, and the user's relays with it.
      const targets = await userRelays(base, pubkey);
      const latest = baseForWrite(await readNewest(targets, { kinds: [KIND.contacts], authors: [pubkey] }));
      const event = await signer.signEvent({ kind: KIND.contacts, created_at: Math.max(unixNow(), (latest?.created_at ?? 0) + 1), ...changedContacts(latest, target, follow) });
      try {
        await Promise.any(pool.publish(targets, event));
      } catch {
        throw new Error(`No relay accepted your contact list (${targets.join(', ')}); nothing was changed. Try again.`);
      }
      return event;
    },
    onSuccess: (event) => queryClient.setQueryData(queryKey, event),
  });
  return {
    follows: followsOf(list.data),
    ready: list.isSuccess,
    pending: change.isPending,
    error: change.error,
    setFollow: (target: string, follow: boolean) => change.mutate({ target, follow }),
  };
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KIND } from '../../../src/protocol/kinds';
import { unixNow } from '../../../src/protocol/time';
import { useSession } from './session';
import { pool, useRelays } from './nostr';
import { refusal } from './chat-channel';

/**
 * The signed-in user's NIP-51 mute list (kind 10000): whose messages the app hides
 * everywhere. Muting adds a `p` tag (unmuting takes it out) and publishes the list again —
 * built on the list as fetched just before, never on a list still loading, or it would replace
 * the user's mutes (and anything else in it) with one entry. `ready` is false until it has loaded.
 */
export function useMuteList() {
  const { pubkey, signer } = useSession();
  const relays = useRelays();
  const queryClient = useQueryClient();
  const queryKey = ['mute-list', pubkey];
  const fetchList = async () => (await pool.get(relays, { kinds: [KIND.muteList], authors: [pubkey ?? ''] }, { maxWait: 3000 })) ?? null;
  const list = useQuery({ queryKey, enabled: pubkey !== undefined && relays.length > 0, queryFn: fetchList });
  const muted = new Set((list.data?.tags ?? []).filter((tag) => tag[0] === 'p').map((tag) => tag[1] ?? ''));
  const change = useMutation({
    mutationFn: async ({ target, muting }: { target: string; muting: boolean }) => {
      if (!signer || !pubkey) throw new Error('Sign in to mute people.');
      // Another app may have changed the list since it was loaded here.
      const latest = await queryClient.fetchQuery({ queryKey, queryFn: fetchList, staleTime: 0 });
      const tags = (latest?.tags ?? []).filter((tag) => !(tag[0] === 'p' && tag[1] === target));
      if (muting) tags.push(['p', target]);
      // Newer than the list it replaces even within one second (an Undo right after a mute), or relays keep the older.
      const createdAt = Math.max(unixNow(), (latest?.created_at ?? 0) + 1);
      const event = await signer.signEvent({ kind: KIND.muteList, created_at: createdAt, tags, content: latest?.content ?? '' });
      await Promise.any(pool.publish(relays, event)).catch((failure: unknown) => {
        throw refusal(failure);
      });
      return event;
    },
    onSuccess: (event) => queryClient.setQueryData(queryKey, event),
  });
  return {
    muted,
    ready: list.isSuccess,
    mute: (target: string) => change.mutateAsync({ target, muting: true }),
    unmute: (target: string) => change.mutateAsync({ target, muting: false }),
  };
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSession } from './session';
import { pool, useRelays } from './nostr';

/**
 * The signed-in user's NIP-51 mute list (kind 10000): whose messages the app hides
 * everywhere. Muting adds a `p` tag and publishes the list again.
 */
export function useMuteList() {
  const { pubkey, signer } = useSession();
  const relays = useRelays();
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ['mute-list', pubkey],
    enabled: pubkey !== undefined && relays.length > 0,
    queryFn: async () => (await pool.get(relays, { kinds: [10000], authors: [pubkey ?? ''] }, { maxWait: 3000 })) ?? null,
  });
  const muted = new Set((list.data?.tags ?? []).filter((tag) => tag[0] === 'p').map((tag) => tag[1] ?? ''));
  const mute = useMutation({
    mutationFn: async (target: string) => {
      if (!signer) throw new Error('Sign in to mute people.');
      const tags = (list.data?.tags ?? []).filter((tag) => !(tag[0] === 'p' && tag[1] === target));
      tags.push(['p', target]);
      const event = await signer.signEvent({ kind: 10000, created_at: Math.floor(Date.now() / 1000), tags, content: list.data?.content ?? '' });
      await Promise.any(pool.publish(relays, event));
      return event;
    },
    onSuccess: (event) => queryClient.setQueryData(['mute-list', pubkey], event),
  });
  return { muted, mute: (target: string) => mute.mutateAsync(target) };
}

import { useQuery } from '@tanstack/react-query';
import { nip19 } from 'nostr-tools';
import { Link, useParams } from 'wouter';
import { UserBadge } from '../components/avatar';
import { StreamCard } from '../components/stream-card';
import { Badge } from '../components/ui/badge';
import { api } from '../lib/api';
import type { StreamView } from '../lib/api-types';
import { useLiveEvents } from '../lib/live-events';
import { useRelays } from '../lib/nostr';

function hexPubkey(value: string): string | undefined {
  if (/^[0-9a-f]{64}$/.test(value)) return value;
  try {
    const decoded = nip19.decode(value);
    return decoded.type === 'npub' ? decoded.data : undefined;
  } catch {
    return undefined;
  }
}

/** `/p/<pubkey or npub>`: a user's live, planned and past streams. */
export function ProfilePage() {
  const { pubkey: param = '' } = useParams<{ pubkey: string }>();
  const pubkey = hexPubkey(param);
  const relays = useRelays();
  const events = useLiveEvents(relays, pubkey ? { kinds: [30311], '#p': [pubkey], limit: 100 } : undefined);
  const past = useQuery({
    queryKey: ['user-streams', pubkey],
    enabled: pubkey !== undefined,
    queryFn: () => api<{ streams: StreamView[] }>(`/api/v1/streams/user/${pubkey}`),
  });
  if (!pubkey) return <p className="text-muted">That is not a Nostr public key.</p>;
  const byStatus = (status: string) => events.filter((event) => event.status === status);
  return (
    <div className="space-y-6">
      <UserBadge pubkey={pubkey} className="text-lg" />
      {(['live', 'planned', 'ended'] as const).map((status) => (
        <section key={status} aria-label={status}>
          <h2 className="mb-2 font-semibold capitalize">{status === 'ended' ? 'Past streams' : status}</h2>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {byStatus(status).map((event) => (
              <StreamCard key={event.id} event={event} />
            ))}
          </div>
        </section>
      ))}
      <section aria-label="On this service">
        <h2 className="mb-2 font-semibold">On this service</h2>
        <ul className="space-y-1 text-sm">
          {past.data?.streams.map((stream) => (
            <li key={stream.stream_id} className="flex items-center gap-2">
              <Link href={`/s/${stream.stream_id}`} className="hover:text-accent">
                {stream.title}
              </Link>
              <Badge variant="outline">{stream.status}</Badge>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

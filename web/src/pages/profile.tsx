import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'wouter';
import { FollowButton } from '../components/follow-button';
import { ProfileHeader } from '../components/profile-header';
import { StreamCard } from '../components/stream-card';
import { Badge } from '../components/ui/badge';
import { api } from '../lib/api';
import type { UserStreamsPage } from '../../../src/protocol/api-views';
import { KIND } from '../../../src/protocol/kinds';
import { liveEventAddress } from '../../../src/protocol/live-event';
import { mergeLiveEvents, useLiveEvents } from '../lib/live-events';
import { hexPubkey, useRelays } from '../lib/nostr';
import { zapTotalsOf } from '../lib/zap-totals';
import { displayName, useProfile } from '../lib/profiles';
import { useSession } from '../lib/session';
import { useDocumentTitle } from '../lib/use-document-title';

/** `/p/<pubkey or npub>`: a user's live, planned and past streams; on one's own, each of ours links to its dashboard. */
export function ProfilePage() {
  const { pubkey: param = '' } = useParams<{ pubkey: string }>();
  const pubkey = hexPubkey(param);
  const profile = useProfile(pubkey);
  useDocumentTitle(pubkey ? displayName(pubkey, profile.data) : undefined);
  const relays = useRelays();
  const session = useSession();
  const own = pubkey !== undefined && session.pubkey === pubkey && session.signer !== undefined;
  // Named in a p tag (our service and most others), or the author and so the host of an event without one.
  const tagged = useLiveEvents(relays, pubkey ? { kinds: [KIND.liveEvent], '#p': [pubkey], limit: 100 } : undefined);
  const authored = useLiveEvents(relays, pubkey ? { kinds: [KIND.liveEvent], authors: [pubkey], limit: 100 } : undefined);
  const events = mergeLiveEvents(tagged, authored.filter((event) => event.host === pubkey));
  const past = useQuery({
    // Signed as the owner, the answer has the owner's own streams too (private ones, ones not yet live).
    queryKey: ['user-streams', pubkey, own],
    enabled: pubkey !== undefined,
    queryFn: () => api<UserStreamsPage>(`/api/v1/streams/user/${pubkey}`, own ? { signer: session.signer } : {}),
  });
  if (!pubkey) return <p className="text-muted">That is not a Nostr public key.</p>;
  const zapTotals = zapTotalsOf([...(past.data?.current ? [past.data.current] : []), ...(past.data?.streams ?? [])]);
  const byStatus = (status: string) => events.filter((event) => event.status === status);
  // One's own come first, each with its dashboard: the streamer's way back to them.
  const onThisService = (
    <section aria-label="On this service">
      <h2 className="mb-2 font-semibold">{own ? 'Your streams on this service' : 'On this service'}</h2>
      <ul className="space-y-1 text-sm">
        {past.data?.streams.map((stream) => (
          <li key={stream.stream_id} className="flex items-center gap-2">
            <Link href={`/s/${stream.stream_id}`} className="hover:text-accent">
              {stream.title}
            </Link>
            <Badge variant="outline">{stream.status}</Badge>
            {own && (
              <Link href={`/dashboard/${stream.stream_id}`} className="text-accent hover:underline">
                Dashboard<span className="sr-only"> for {stream.title}</span>
              </Link>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <ProfileHeader pubkey={pubkey} />
        <FollowButton pubkey={pubkey} />
      </div>
      {own && onThisService}
      {(['live', 'planned', 'ended'] as const).map((status) => (
        <section key={status} aria-label={status}>
          <h2 className="mb-2 font-semibold capitalize">{status === 'ended' ? 'Past streams' : status}</h2>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {byStatus(status).map((event) => (
              <StreamCard key={event.id} event={event} zapTotalSats={zapTotals.get(liveEventAddress(event))} />
            ))}
          </div>
        </section>
      ))}
      {!own && onThisService}
    </div>
  );
}

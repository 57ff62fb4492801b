import { useQuery } from '@tanstack/react-query';
import { Zap as ZapIcon } from 'lucide-react';
import { Link } from 'wouter';
import { Badge } from '../components/ui/badge';
import { api } from '../lib/api';
import type { UserStreamsPage } from '../../../src/protocol/api-views';
import { formatSats } from '../lib/sats';
import { useSession } from '../lib/session';
import { useDocumentTitle } from '../lib/use-document-title';

/** The signed-in user's streams, newest first, with their dashboards and analytics. */
export function MyStreamsPage() {
  const { pubkey, signer, restoring } = useSession();
  useDocumentTitle('My streams');
  const streams = useQuery({
    queryKey: ['my-streams', pubkey],
    enabled: signer !== undefined,
    queryFn: () => api<UserStreamsPage>(`/api/v1/streams/user/${pubkey}?limit=100`, { signer }),
  });
  if (!signer) return <p className="text-muted">{restoring ? 'Signing you back in…' : 'Sign in to see your streams.'}</p>;
  return (
    <div className="space-y-3">
      <h1 className="text-xl font-semibold">My streams</h1>
      <ul className="divide-y divide-border rounded-lg border border-border">
        {streams.data?.streams.map((stream) => (
          <li key={stream.stream_id} className="flex flex-wrap items-center gap-3 p-3 text-sm">
            <span className="font-medium">{stream.title}</span>
            <Badge variant={stream.status === 'live' ? 'live' : 'outline'}>{stream.status}</Badge>
            <span className="text-muted">{new Date(stream.created_at * 1000).toLocaleString()}</span>
            {stream.zap_total_sats > 0 && (
              <span className="font-semibold" data-testid="my-stream-zaps">
                <ZapIcon className="mr-1 inline h-4 w-4 fill-current text-accent" aria-hidden />
                {formatSats(stream.zap_total_sats)}
              </span>
            )}
            <Link href={`/dashboard/${stream.stream_id}`} className="ml-auto text-accent">
              Dashboard
            </Link>
            <Link href={`/analytics/${stream.stream_id}`} className="text-accent">
              Analytics
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

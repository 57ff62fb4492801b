import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { StreamView } from '../../../../src/protocol/api-views';
import { UserBadge } from '../avatar';
import { Badge } from '../ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { OWN_KEY_TERMS } from './signer-choice';

/** The bunker's status is not on the feed: asked again this often while the stream runs. */
const STATUS_REFRESH_MS = 30_000;

/** Whose key publishes the stream on Nostr and, for the streamer's own key, whether their bunker answers. */
export function SignerCard({ stream }: { stream: StreamView }) {
  const queryClient = useQueryClient();
  const ownKey = stream.signer === 'streamer';
  const running = stream.status !== 'ended';

  useEffect(() => {
    if (!ownKey || !running) return;
    const timer = setInterval(() => void queryClient.invalidateQueries({ queryKey: ['stream', stream.stream_id] }), STATUS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [ownKey, running, queryClient, stream.stream_id]);

  return (
    <Card data-testid="signer-card">
      <CardHeader>
        <CardTitle>Published on Nostr by</CardTitle>
      </CardHeader>
      <CardContent className="space-y-2 text-sm">
        <div className="flex flex-wrap items-center gap-2">
          <UserBadge pubkey={stream.event_pubkey} />
          <span data-testid="signer-whose">{ownKey ? 'your own key, through your bunker' : 'Wavlake Live’s key'}</span>
        </div>
        {ownKey ? (
          <>
            <p className="text-muted">{OWN_KEY_TERMS.host}</p>
            {stream.signer_status === 'unreachable' ? (
              <div role="status" className="space-y-1">
                <Badge variant="warning" data-testid="signer-status">
                  Bunker not answering
                </Badge>
                <p>{OWN_KEY_TERMS.away} Open your bunker or bring it back online and the event catches up.</p>
                <p className="text-muted">{OWN_KEY_TERMS.end}</p>
              </div>
            ) : (
              <div role="status" className="space-y-1">
                <Badge variant="success" data-testid="signer-status">
                  Bunker answering
                </Badge>
                <p className="text-muted">
                  {OWN_KEY_TERMS.away} {OWN_KEY_TERMS.end}
                </p>
              </div>
            )}
          </>
        ) : (
          <p className="text-muted">
            The service signs your stream’s live events for you: nothing to keep online. You are named as the host, but some clients show the service
            instead.
          </p>
        )}
      </CardContent>
    </Card>
  );
}

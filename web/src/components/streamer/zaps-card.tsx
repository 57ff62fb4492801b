import { useLnurlPay } from '../../lib/lnurl';
import type { StreamZaps } from '../../lib/stream-zaps';
import { UserBadge } from '../avatar';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { ZapSummary } from '../zap/zap-summary';
import { formatSats } from '../../lib/sats';

/**
 * The host's view of their stream's zaps: the total and top zappers, then every zap, newest first
 * (one the host hid from the chat too: it was paid). A private stream takes none, and says why.
 */
export function ZapsCard({ zaps, host, isPrivate }: { zaps: StreamZaps; host: string; isPrivate: boolean }) {
  const lnurl = useLnurlPay(host);
  // Zaps to chatters show in the chat; the host's list is what they were paid.
  const received = zaps.zaps.filter((zap) => zap.recipient === host);
  if (isPrivate) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>Zaps</CardTitle>
        </CardHeader>
        <CardContent className="text-sm">
          <p className="text-muted" data-testid="zaps-off">
            Zaps are off for private streams: a zap’s receipt is public, and would tell everyone this stream exists.
          </p>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Zaps ({received.length})</CardTitle>
      </CardHeader>
      <CardContent className="space-y-2 text-sm">
        {lnurl.state === 'none' && <p className="text-muted">Add a lightning address (lud16) to your profile to receive zaps.</p>}
        {lnurl.state === 'failed' && <p className="text-live">{lnurl.reason}</p>}
        {lnurl.state === 'ready' && received.length === 0 && <p className="text-muted">No zaps yet.</p>}
        <ZapSummary zaps={zaps} />
        <ol aria-label="Every zap" className="space-y-1">
          {[...received].reverse().map((zap) => (
            <li key={zap.receiptId} data-testid="dashboard-zap" className="flex flex-wrap items-center gap-2">
              <UserBadge pubkey={zap.sender} className="max-w-40" />
              <span className="font-semibold">{formatSats(Math.floor(zap.amountMsats / 1000))}</span>
              {zap.comment && <span className="min-w-0 break-words">“{zap.comment}”</span>}
              <time className="ml-auto text-xs text-muted" dateTime={new Date(zap.paidAt * 1000).toISOString()}>
                {new Date(zap.paidAt * 1000).toLocaleTimeString()}
              </time>
            </li>
          ))}
        </ol>
      </CardContent>
    </Card>
  );
}

import type { Coordinate } from '../../../../src/protocol/coordinate';
import type { ChatChannel } from '../../lib/chat-channel';
import { useLnurlPay } from '../../lib/lnurl';
import { useStreamZaps } from '../../lib/stream-zaps';
import { UserBadge } from '../avatar';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { ZapSummary } from '../zap/zap-summary';

/** The host's view of their stream's zaps: the total and top zappers, then every zap, newest first. */
export function ZapsCard({ stream, channel, host }: { stream: Coordinate; channel: ChatChannel; host: string }) {
  const lnurl = useLnurlPay(host);
  const zaps = useStreamZaps(stream, channel, host);
  // Zaps to chatters show in the chat; the host's list is what they were paid.
  const received = zaps.zaps.filter((zap) => zap.recipient === host);
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
              <UserBadge pubkey={zap.sender} className="max-w-32" />
              <span className="font-semibold">{Math.floor(zap.amountMsats / 1000).toLocaleString('en-US')} sats</span>
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

import { useEffect, useState } from 'react';
import { formatCoordinate, type Coordinate } from '../../../../src/protocol/coordinate';
import { KIND } from '../../../../src/protocol/kinds';
import { parseReport, type Report } from '../../../../src/protocol/report';
import type { ChatChannel } from '../../lib/chat-channel';
import { UserBadge } from '../avatar';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';

/** NIP-56 reports about this stream's chat, for its host. */
export function ReportsCard({ stream, channel }: { stream: Coordinate; channel: ChatChannel }) {
  const [reports, setReports] = useState<Report[]>([]);
  const address = formatCoordinate(stream);
  useEffect(() => {
    return channel.subscribe({ kinds: [KIND.report], '#a': [address], limit: 100 }, (event) => {
      const parsed = parseReport(event);
      if (parsed.ok) setReports((previous) => [parsed.value, ...previous.filter((report) => report.id !== parsed.value.id)]);
    });
  }, [address, channel.key]);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Reports ({reports.length})</CardTitle>
      </CardHeader>
      <CardContent className="space-y-2 text-sm">
        {reports.length === 0 && <p className="text-muted">No reports.</p>}
        {reports.map((report) => (
          <div key={report.id} data-testid="report" className="flex flex-wrap items-center gap-2">
            <UserBadge pubkey={report.user} />
            <span className="text-muted">reported for {report.reason}</span>
            {report.note && <span>“{report.note}”</span>}
          </div>
        ))}
      </CardContent>
    </Card>
  );
}

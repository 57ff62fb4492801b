import { useQuery } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { useParams } from 'wouter';
import { UserBadge } from '../components/avatar';
import { Player } from '../components/player';
import { TrackList } from '../components/streamer/track-list';
import { GeographyCard } from '../components/streamer/geography-card';
import { ViewersChart } from '../components/streamer/viewers-chart';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { downloadCsv, timelineCsv } from '../lib/analytics-csv';
import { api } from '../lib/api';
import type { StreamAnalytics } from '../../../src/protocol/api-views';
import { useSession } from '../lib/session';
import { useStream } from '../lib/streams';
import { streamOffset } from '../lib/tracks';
import { formatSats } from '../lib/sats';
import { useDocumentTitle } from '../lib/use-document-title';

const minutes = (seconds: number | undefined) => (seconds === undefined ? '—' : `${Math.floor(seconds / 60)} min ${seconds % 60} s`);
const value = (figure: number | undefined, unit = '') => (figure === undefined ? '—' : `${figure}${unit}`);

/**
 * The host's zaps as the service counted them (valid receipts only): sats, how many, the top
 * zappers, and every zap at its time into the stream (`start` null: from the first zap).
 */
function ZapsCard({ zaps, start }: { zaps: StreamAnalytics['zaps']; start: number | null }) {
  const origin = start ?? zaps.timeline[0]?.timestamp ?? 0;
  return (
    <Card data-testid="analytics-zaps">
      <CardHeader>
        <CardTitle>Zaps</CardTitle>
      </CardHeader>
      <CardContent className="space-y-4 text-sm">
        <dl className="flex flex-wrap gap-x-8 gap-y-2">
          <div>
            <dt className="text-xs text-muted">Sats received</dt>
            <dd className="text-lg font-semibold" data-testid="zaps-total">{formatSats(zaps.totalSats)}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted">Zaps</dt>
            <dd className="text-lg font-semibold" data-testid="zaps-count">{zaps.count}</dd>
          </div>
        </dl>
        {zaps.count === 0 ? (
          <p className="text-muted">No zaps were received in this stream.</p>
        ) : (
          <>
            <section aria-labelledby="top-zappers">
              <h3 id="top-zappers" className="mb-1 text-xs font-semibold uppercase text-muted">Top zappers</h3>
              <ol className="grid max-w-md gap-1">
                {zaps.topZappers.map((zapper) => (
                  <li key={zapper.pubkey} className="flex items-center gap-2" data-testid="top-zapper">
                    <UserBadge pubkey={zapper.pubkey} className="max-w-48" />
                    <span className="ml-auto font-semibold">{formatSats(zapper.sats)}</span>
                  </li>
                ))}
              </ol>
            </section>
            <section aria-labelledby="zap-timeline">
              <h3 id="zap-timeline" className="mb-1 text-xs font-semibold uppercase text-muted">Every zap</h3>
              <ol className="grid gap-1">
                {zaps.timeline.map((zap, index) => (
                  <li key={`${zap.timestamp}-${zap.sender}-${index}`} className="flex flex-wrap items-center gap-x-3 gap-y-1" data-testid="zap-entry">
                    <time className="font-mono text-xs text-muted" dateTime={new Date(zap.timestamp * 1000).toISOString()}>
                      {streamOffset(zap.timestamp, origin)}
                    </time>
                    <span className="font-semibold">{formatSats(zap.sats)}</span>
                    <UserBadge pubkey={zap.sender} className="max-w-40" />
                    {zap.comment && <span className="min-w-0 break-words">“{zap.comment}”</span>}
                  </li>
                ))}
              </ol>
            </section>
          </>
        )}
      </CardContent>
    </Card>
  );
}

/**
 * After the stream, for its owner only (the API refuses anyone else): the plan's post-stream
 * figures, the viewers chart, where the viewers were, the zaps, the tracks played and the
 * recording; the timeline and the countries download as CSV.
 */
export function AnalyticsPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { signer, pubkey } = useSession();
  const stream = useStream(id);
  useDocumentTitle(stream.data?.title, 'Analytics');
  const analytics = useQuery({
    queryKey: ['analytics', id, pubkey],
    enabled: signer !== undefined,
    queryFn: () => api<StreamAnalytics>(`/api/v1/streams/${id}/analytics`, signer ? { signer } : {}),
    refetchInterval: 30_000,
  });
  const data = analytics.data;
  if (!signer) return <p className="text-muted" data-testid="analytics-sign-in">Sign in as the stream's owner to see its analytics.</p>;
  if (analytics.error) return <p role="alert" className="text-live" data-testid="analytics-error">{analytics.error.message}</p>;
  if (!data) return <p className="text-muted">Loading…</p>;
  const figures: [string, string][] = [
    ['Duration', minutes(data.duration)],
    ['Peak viewers', String(data.peakViewers)],
    ['Total viewers', String(data.totalViewers)],
    ['Average view time', minutes(data.averageViewTime)],
    ['Chat messages', String(data.chatMessages)],
    ['Chatters', String(data.chatters)],
    ['Chat engagement', data.chatEngagement === undefined ? '—' : `${Math.round(data.chatEngagement * 100)} %`],
    ['Messages per minute', value(data.messagesPerMinute)],
    ['Average bitrate', value(data.qualityMetrics.averageBitrate, ' kbps')],
    ['Dropouts', String(data.qualityMetrics.dropoutEvents)],
    ['Buffering events', String(data.qualityMetrics.bufferingEvents)],
    ['Time buffering', minutes(data.qualityMetrics.bufferingSeconds)],
    ['Quality switches', String(data.qualityMetrics.qualitySwitches)],
  ];
  const startedAt = stream.data?.started_at ?? null;
  const fileStem = `stream-${id.slice(0, 8)}`;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Analytics: {stream.data?.title ?? ''}</h1>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3" data-testid="analytics-figures">
        {figures.map(([label, figure]) => (
          // A description list allows one div around each dt/dd pair: the card is that div.
          <Card key={label} className="p-4">
            <dt className="text-xs text-muted">{label}</dt>
            <dd className="text-lg font-semibold" data-testid={`figure-${label.toLowerCase().replace(/ /g, '-')}`}>
              {figure}
            </dd>
          </Card>
        ))}
      </dl>
      <Card>
        <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
          <CardTitle>Viewers over time</CardTitle>
          {data.timeline.length > 0 && (
            <Button
              variant="secondary"
              size="sm"
              onClick={() => downloadCsv(`${fileStem}-timeline.csv`, timelineCsv(data.timeline, startedAt))}
              data-testid="download-timeline"
            >
              <Download className="h-4 w-4" aria-hidden /> Timeline (CSV)
            </Button>
          )}
        </CardHeader>
        <CardContent>
          <ViewersChart points={data.timeline} start={startedAt} />
        </CardContent>
      </Card>
      <GeographyCard countries={data.countries} fileName={`${fileStem}-countries.csv`} />
      <ZapsCard zaps={data.zaps} start={stream.data?.started_at ?? null} />
      <Card>
        <CardHeader>
          <CardTitle>Tracks</CardTitle>
        </CardHeader>
        <CardContent>
          <TrackList tracks={data.tracks} start={stream.data?.started_at ?? null} empty="No tracks were set for this stream." />
        </CardContent>
      </Card>
      {stream.data?.recording_url && (
        <Card>
          <CardHeader>
            <CardTitle>Recording</CardTitle>
          </CardHeader>
          <CardContent>
            <Player src={stream.data.recording_url} autoPlay={false} title="Recording" />
          </CardContent>
        </Card>
      )}
    </div>
  );
}

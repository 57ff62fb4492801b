import { useQuery } from '@tanstack/react-query';
import { useParams } from 'wouter';
import { Player } from '../components/player';
import { TrackList } from '../components/streamer/track-list';
import { ViewersChart } from '../components/streamer/viewers-chart';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { api } from '../lib/api';
import type { StreamAnalytics } from '../../../src/protocol/api-views';
import { useSession } from '../lib/session';
import { useStream } from '../lib/streams';

const minutes = (seconds: number | undefined) => (seconds === undefined ? '—' : `${Math.floor(seconds / 60)} min ${seconds % 60} s`);
const value = (figure: number | undefined, unit = '') => (figure === undefined ? '—' : `${figure}${unit}`);

/** After the stream: the plan's post-stream figures, the viewers chart, the tracks played and the recording. */
export function AnalyticsPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { signer } = useSession();
  const stream = useStream(id);
  const analytics = useQuery({
    queryKey: ['analytics', id, Boolean(signer)],
    queryFn: () => api<StreamAnalytics>(`/api/v1/streams/${id}/analytics`, signer ? { signer } : {}),
    refetchInterval: 30_000,
  });
  const data = analytics.data;
  if (analytics.error) return <p role="alert" className="text-live">{analytics.error.message}</p>;
  if (!data) return <p className="text-muted">Loading…</p>;
  const figures: [string, string][] = [
    ['Duration', minutes(data.duration)],
    ['Peak viewers', String(data.peakViewers)],
    ['Total viewers', String(data.totalViewers)],
    ['Average view time', minutes(data.averageViewTime)],
    ['Chat messages', String(data.chatMessages)],
    ['Chat engagement', data.chatEngagement === undefined ? '—' : `${Math.round(data.chatEngagement * 100)} %`],
    ['Average bitrate', value(data.qualityMetrics.averageBitrate, ' kbps')],
    ['Dropouts', String(data.qualityMetrics.dropoutEvents)],
    ['Buffering events', String(data.qualityMetrics.bufferingEvents)],
  ];
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
        <CardHeader>
          <CardTitle>Viewers over time</CardTitle>
        </CardHeader>
        <CardContent>
          <ViewersChart points={data.timeline} />
        </CardContent>
      </Card>
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

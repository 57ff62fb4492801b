import { useQuery } from '@tanstack/react-query';
import type { StreamSummary } from '../../../../src/protocol/analytics';
import { api } from '../../lib/api';
import { spokenDuration } from '../../lib/duration';

/**
 * How an ended stream of ours went, for anyone: how long it was live, its peak audience and
 * its chat. The owner's full analytics (geography, watch time) stay on their analytics page.
 */
export function EndedSummary({ streamId, token }: { streamId: string; token: string | undefined }) {
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const summary = useQuery({
    queryKey: ['summary', streamId, token],
    queryFn: () => api<StreamSummary>(`/api/v1/streams/${streamId}/summary${query}`),
  });
  if (!summary.data) return null;
  const { duration, peakViewers, chatMessages } = summary.data;
  const figures: [string, string, string][] = [
    ['Live for', spokenDuration(duration), 'summary-duration'],
    ['Peak viewers', peakViewers.toLocaleString('en'), 'summary-peak'],
    ['Chat messages', chatMessages.toLocaleString('en'), 'summary-chat'],
  ];
  return (
    <section aria-labelledby="ended-summary" className="rounded-md border border-border p-3" data-testid="ended-summary">
      <h3 id="ended-summary" className="mb-2 text-sm font-semibold">
        How the stream went
      </h3>
      <dl className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
        {figures.map(([label, figure, testId]) => (
          <div key={label}>
            <dt className="text-xs text-muted">{label}</dt>
            <dd className="font-semibold" data-testid={testId}>
              {figure}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

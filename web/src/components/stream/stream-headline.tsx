import { Users } from 'lucide-react';
import type { ReactNode } from 'react';
import { Badge } from '../ui/badge';
import { Uptime } from './uptime';
import type { StreamPageState } from './use-stream-page';

/**
 * The title with the stream's state: LIVE and its uptime, Reconnecting while the encoder is away,
 * Ended; the viewer count while it is on; `children` (Share, layout toggles) at the end of the line.
 */
export function StreamHeadline({ page, children }: { page: StreamPageState; children?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
      <h1 className="min-w-0 break-words text-xl font-semibold">{page.title}</h1>
      {page.reconnecting ? (
        <Badge variant="warning" data-testid="stream-state">
          Reconnecting
        </Badge>
      ) : (
        page.live && (
          <Badge variant="live" data-testid="stream-state">
            Live
          </Badge>
        )
      )}
      {page.live && page.startedAt !== undefined && <Uptime since={page.startedAt} />}
      {page.ended && (
        <Badge variant="outline" data-testid="stream-state">
          Ended
        </Badge>
      )}
      {page.viewers !== undefined && (
        <span className="text-sm text-muted" data-testid="stream-viewers">
          <Users className="mr-1 inline h-4 w-4" aria-hidden />
          {page.viewers} {page.listening ? 'listening' : 'watching'}
        </span>
      )}
      <div className="ml-auto flex items-center gap-2">{children}</div>
    </div>
  );
}

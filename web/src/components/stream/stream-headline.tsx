import type { ReactNode } from 'react';
import { cn } from '../../lib/cn';
import { WhoIsHere } from '../presence/who-is-here';
import { Badge } from '../ui/badge';
import { Uptime } from './uptime';
import type { StreamPageState } from './use-stream-page';

/**
 * The title with the stream's state: LIVE and its uptime, Reconnecting while the encoder is away,
 * Ended; who is here and the viewer count while it is on; `children` (Share, layout toggles) at the end of the line.
 * `compact` (phones): one line, the title cut short rather than pushing the chat down.
 */
export function StreamHeadline({ page, compact = false, children }: { page: StreamPageState; compact?: boolean; children?: ReactNode }) {
  return (
    <div className={cn('flex items-center gap-x-3 gap-y-2', compact ? 'flex-nowrap' : 'flex-wrap')}>
      <h1 className={cn('min-w-0 font-semibold', compact ? 'truncate text-lg' : 'break-words text-xl')}>{page.title}</h1>
      {page.reconnecting ? (
        <Badge variant="warning" className="shrink-0" data-testid="stream-state">
          Reconnecting
        </Badge>
      ) : (
        page.live && (
          <Badge variant="live" className="shrink-0" data-testid="stream-state">
            Live
          </Badge>
        )
      )}
      {page.live && page.startedAt !== undefined && <Uptime since={page.startedAt} />}
      {page.ended && (
        <Badge variant="outline" className="shrink-0" data-testid="stream-state">
          Ended
        </Badge>
      )}
      {!page.ended && (
        <WhoIsHere
          stream={page.coordinate}
          relays={page.relays}
          listening={page.listening}
          channel={page.channel}
          compact={compact}
          {...(page.viewers !== undefined && { anonymousCount: page.viewers })}
        />
      )}
      {children && <div className="ml-auto flex items-center gap-2">{children}</div>}
    </div>
  );
}

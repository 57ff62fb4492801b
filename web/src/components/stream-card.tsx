import { CalendarClock, Headphones, Users, Zap as ZapIcon } from 'lucide-react';
import { Link } from 'wouter';
import type { LiveEvent } from '../../../src/protocol/live-event';
import { encodeLiveEventAddress } from '../../../src/protocol/naddr';
import { unixNow } from '../../../src/protocol/time';
import { isReallyLive } from '../lib/live-events';
import { formatSats } from '../lib/sats';
import { UserBadge } from './avatar';
import { Cover } from './cover';
import { PlannedStart } from './discovery/planned-start';
import { StreamPicture } from './discovery/stream-picture';
import { Badge } from './ui/badge';

function since(starts: number): string {
  const minutes = Math.max(0, Math.floor((unixNow() - starts) / 60));
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * One stream in discovery: picture (an audio stream's cover, marked as sound; a live thumbnail
 * asked for until it exists), host, viewers, category and tags, LIVE and time live, a planned
 * stream's start, and what the host was zapped when the API knows it (our streams) and it is above 0.
 */
export function StreamCard({ event, zapTotalSats }: { event: LiveEvent; zapTotalSats?: number | undefined }) {
  const live = isReallyLive(event);
  const naddr = encodeLiveEventAddress(event.coordinate, event.relays.slice(0, 2));
  const audio = event.streamingType === 'audio';
  return (
    <Link href={`/stream/${naddr}`} data-testid="stream-card" className="group block overflow-hidden rounded-lg border border-border bg-surface focus-visible:ring-2 focus-visible:ring-accent">
      <div className="relative aspect-video bg-surface-2">
        {/* The streamer's chosen image first (NIP-53's `image`), then the live picture (an audio stream's cover). */}
        {audio ? <Cover sources={[event.image, event.thumbnail]} audio /> : <StreamPicture event={event} live={live} />}
        {audio && (
          <span className="absolute right-2 top-2 inline-flex items-center gap-1 rounded bg-black/70 px-1.5 text-xs" data-testid="card-audio">
            <Headphones className="h-3 w-3" aria-hidden /> Audio
          </span>
        )}
        {live && <Badge variant="live" className="absolute left-2 top-2">Live</Badge>}
        {event.status === 'planned' && (
          <span className="absolute left-2 top-2 inline-flex items-center gap-1 rounded bg-black/70 px-1.5 text-xs font-semibold" data-testid="card-planned">
            <CalendarClock className="h-3 w-3" aria-hidden />
            <PlannedStart starts={event.starts} />
          </span>
        )}
        <div className="absolute bottom-2 left-2 flex flex-wrap gap-1 text-xs">
          {live && (
            <span className="rounded bg-black/70 px-1.5" data-testid="card-viewers">
              <Users className="mr-1 inline h-3 w-3" aria-hidden />
              {event.currentParticipants ?? 0} {audio ? 'listening' : 'watching'}
            </span>
          )}
          {zapTotalSats !== undefined && zapTotalSats > 0 && (
            <span className="rounded bg-black/70 px-1.5 font-semibold" data-testid="card-zaps">
              <ZapIcon className="mr-1 inline h-3 w-3 fill-current text-accent" aria-hidden />
              {formatSats(zapTotalSats)}
            </span>
          )}
        </div>
        {live && event.starts !== undefined && <span className="absolute bottom-2 right-2 rounded bg-black/70 px-1.5 text-xs">{since(event.starts)}</span>}
      </div>
      <div className="space-y-2 p-3">
        <h3 className="truncate font-semibold group-hover:text-accent">{event.title ?? 'Untitled stream'}</h3>
        <UserBadge pubkey={event.host} />
        <div className="flex flex-wrap gap-1">
          {event.hashtags.slice(0, 4).map((tag) => (
            <Badge key={tag} variant="outline">
              #{tag}
            </Badge>
          ))}
        </div>
      </div>
    </Link>
  );
}

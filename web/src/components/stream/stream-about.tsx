import { encodeLiveEventAddress } from '../../../../src/protocol/naddr';
import { UserBadge } from '../avatar';
import { FollowButton } from '../follow-button';
import { NowPlayingLine } from '../listening-player';
import { Badge } from '../ui/badge';
import { GoalBar } from '../zap/goal-bar';
import { ZapButton } from '../zap/zap-dialog';
import { ZapSummary } from '../zap/zap-summary';
import { EndedSummary } from './ended-summary';
import type { StreamPageState } from './use-stream-page';

/** The host, Follow and Zap: kept in view on phones, above the Chat / About tabs. */
export function HostRow({ page }: { page: StreamPageState }) {
  if (!page.host) return null;
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-2" data-testid="stream-host">
      <UserBadge pubkey={page.host} />
      <FollowButton pubkey={page.host} />
      {page.zappable && <ZapButton stream={page.coordinate} recipient={page.host} relays={page.zapRelays} channel={page.channel} />}
    </div>
  );
}

/** The stream's Nostr address for other clients (the coordinate of its real author); a private stream has none to give. */
export function nostrAddressOf(page: StreamPageState): string | undefined {
  if (page.isPrivate || !page.known) return undefined;
  return encodeLiveEventAddress(page.coordinate, page.relays.slice(0, 2));
}

/** What the stream is: how it went (once ended), zaps and goal, the track playing, its description and tags, and its address for Nostr apps. */
export function StreamAbout({ page }: { page: StreamPageState }) {
  const { event, api, ended } = page;
  const naddr = nostrAddressOf(page);
  const description = event?.summary ?? api?.description;
  return (
    <div className="space-y-3">
      {ended && api && <EndedSummary streamId={api.stream_id} token={page.token} />}
      {page.zappable && (
        <>
          <ZapSummary zaps={page.zaps} />
          <GoalBar
            id={event?.goal ?? api?.goal ?? undefined}
            host={page.host}
            channel={page.channel}
            zaps={page.zaps.zaps}
            // Another service's stream says when it ended by its ends tag, else by when it said so.
            endedAt={ended ? (api?.ended_at ?? event?.ends ?? event?.createdAt ?? null) : null}
          />
        </>
      )}
      {page.track && !page.listening && <NowPlayingLine track={page.track} />}
      {description && <p className="text-sm text-muted">{description}</p>}
      <div className="flex flex-wrap gap-1">
        {(event?.hashtags ?? api?.tags ?? []).map((tag) => (
          <Badge key={tag} variant="outline">
            #{tag}
          </Badge>
        ))}
      </div>
      {naddr && (
        <a href={`nostr:${naddr}`} className="text-sm text-muted underline hover:text-accent" data-testid="nostr-address">
          Open in a Nostr app
        </a>
      )}
    </div>
  );
}

import { Users } from 'lucide-react';
import { useId, useState } from 'react';
import type { Coordinate } from '../../../../src/protocol/coordinate';
import type { ChatChannel } from '../../lib/chat-channel';
import { cn } from '../../lib/cn';
import { usePresence } from '../../lib/presence';
import { displayName, useProfile } from '../../lib/profiles';
import { UserBadge } from '../avatar';

/** Names shown before the rest fold behind "+N": a busy stream's list must not push the page down. */
const SHOWN = 5;
const SHOWN_COMPACT = 3;

export interface WhoIsHereProps {
  readonly stream: Coordinate;
  readonly relays: string[];
  /** Everyone watching, signed in or not (the origin's count); leave out to show only who is here. */
  readonly anonymousCount?: number;
  readonly listening: boolean;
  /** The stream's chat channel (a private stream's presence travels only there). */
  readonly channel?: ChatChannel;
  /** Announce the signed-in user (the default); false only reads. */
  readonly publish?: boolean;
  /** Phones: pictures only (names for assistive tech and on hover), so the count keeps to the title's line. */
  readonly compact?: boolean;
}

function PresentUser({ pubkey, compact }: { pubkey: string; compact: boolean }) {
  const { data: profile } = useProfile(pubkey);
  if (!compact) return <UserBadge pubkey={pubkey} />;
  const name = displayName(pubkey, profile);
  return (
    <span title={name}>
      <UserBadge pubkey={pubkey} showName={false} />
      <span className="sr-only">{name}</span>
    </span>
  );
}

/**
 * "3 here · 12 watching": the signed-in viewers who announced themselves (NIP-53 presence),
 * by picture and name, beside the count of everyone watching.
 *
 *   <WhoIsHere stream={coordinate} relays={relays} anonymousCount={viewers} listening={listening} channel={channel} />
 */
export function WhoIsHere({ stream, relays, anonymousCount, listening, channel, publish = true, compact = false }: WhoIsHereProps) {
  const present = usePresence(stream, relays, { publish, ...(channel && { channel }) });
  const [expanded, setExpanded] = useState(false);
  const listId = useId();
  const shown = expanded ? present : present.slice(0, compact ? SHOWN_COMPACT : SHOWN);
  const folded = present.length - shown.length;
  return (
    <div className={cn('flex min-w-0 items-center gap-x-3 gap-y-1 text-sm text-muted', compact ? 'shrink-0 flex-nowrap' : 'flex-wrap')} data-testid="who-is-here">
      {present.length > 0 && (
        <>
          {/* Phones: the pictures say it; the words stay for assistive tech, so the title keeps its room. */}
          <span className={cn(compact && 'sr-only')} data-testid="presence-count">
            {present.length} here
          </span>
          <ul id={listId} aria-label="Who's here" className={cn('flex min-w-0 items-center gap-y-1', compact ? 'gap-x-1' : 'flex-wrap gap-x-3')} data-testid="presence-list">
            {shown.map((pubkey) => (
              <li key={pubkey} className="min-w-0 max-w-[12rem] text-foreground" data-testid="present-user" data-pubkey={pubkey}>
                <PresentUser pubkey={pubkey} compact={compact} />
              </li>
            ))}
          </ul>
          {(folded > 0 || expanded) && (
            <button type="button" className="underline hover:text-accent" aria-expanded={expanded} aria-controls={listId} onClick={() => setExpanded(!expanded)}>
              {expanded ? 'Show fewer' : `+${folded} more`}
            </button>
          )}
        </>
      )}
      {anonymousCount !== undefined && (
        <span className="whitespace-nowrap" data-testid="stream-viewers">
          {present.length > 0 && <span aria-hidden>· </span>}
          <Users className="mr-1 inline h-4 w-4" aria-hidden />
          {anonymousCount}
          <span className={cn(compact && 'sr-only')}> {listening ? 'listening' : 'watching'}</span>
        </span>
      )}
    </div>
  );
}

import { Users } from 'lucide-react';
import { useId, useState } from 'react';
import type { Coordinate } from '../../../../src/protocol/coordinate';
import type { ChatChannel } from '../../lib/chat-channel';
import { usePresence } from '../../lib/presence';
import { UserBadge } from '../avatar';

/** Names shown before the rest fold behind "+N": a busy stream's list must not push the page down. */
const SHOWN = 5;

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
}

/**
 * "3 here · 12 watching": the signed-in viewers who announced themselves (NIP-53 presence),
 * by picture and name, beside the count of everyone watching.
 *
 *   <WhoIsHere stream={coordinate} relays={relays} anonymousCount={viewers} listening={listening} channel={channel} />
 */
export function WhoIsHere({ stream, relays, anonymousCount, listening, channel, publish = true }: WhoIsHereProps) {
  const present = usePresence(stream, relays, { publish, ...(channel && { channel }) });
  const [expanded, setExpanded] = useState(false);
  const listId = useId();
  const shown = expanded ? present : present.slice(0, SHOWN);
  const folded = present.length - shown.length;
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1 text-sm text-muted" data-testid="who-is-here">
      {present.length > 0 && (
        <>
          <span data-testid="presence-count">{present.length} here</span>
          <ul id={listId} aria-label="Who's here" className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1" data-testid="presence-list">
            {shown.map((pubkey) => (
              <li key={pubkey} className="min-w-0 max-w-[12rem] text-foreground" data-testid="present-user" data-pubkey={pubkey}>
                <UserBadge pubkey={pubkey} />
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
        <span data-testid="stream-viewers">
          {present.length > 0 && <span aria-hidden>· </span>}
          <Users className="mr-1 inline h-4 w-4" aria-hidden />
          {anonymousCount} {listening ? 'listening' : 'watching'}
        </span>
      )}
    </div>
  );
}

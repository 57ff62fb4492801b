import { Zap as ZapIcon } from 'lucide-react';
import { formatSats } from '../../lib/sats';
import type { StreamZaps } from '../../lib/stream-zaps';
import { UserBadge } from '../avatar';

/**
 * The host's total in sats and their top zappers, most sats first; nothing until someone zaps them.
 * One line at any width: on a phone the zappers scroll sideways inside the strip (as on zap.stream)
 * instead of stacking under the total and pushing the stream's details down.
 */
export function ZapSummary({ zaps }: { zaps: StreamZaps }) {
  if (zaps.topZappers.length === 0) return null;
  return (
    <section aria-label="Zaps" className="flex min-w-0 items-center gap-3 rounded-lg border border-border bg-surface px-3 py-2 text-sm">
      <span className="shrink-0 whitespace-nowrap font-semibold" data-testid="zap-total">
        <ZapIcon className="mr-1 inline h-4 w-4 fill-current text-accent" aria-hidden />
        {formatSats(zaps.totalSats)}
      </span>
      <ol aria-label="Top zappers" className="flex min-w-0 items-center gap-2 overflow-x-auto [scrollbar-width:none]">
        {zaps.topZappers.map((zapper) => (
          <li key={zapper.pubkey} data-testid="top-zapper" className="flex shrink-0 items-center gap-1 rounded-full border border-border py-0.5 pl-0.5 pr-2">
            {/* Wide enough for a short npub (itself already shortened with an ellipsis) not to be cut a second time. */}
            <UserBadge pubkey={zapper.pubkey} className="max-w-52" />
            <span className="whitespace-nowrap text-muted">{zapper.sats.toLocaleString('en-US')}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

import { Zap as ZapIcon } from 'lucide-react';
import type { StreamZaps } from '../../lib/stream-zaps';
import { UserBadge } from '../avatar';

/** The host's total in sats and their top zappers, most sats first; nothing until someone zaps them. */
export function ZapSummary({ zaps }: { zaps: StreamZaps }) {
  if (zaps.topZappers.length === 0) return null;
  return (
    <section aria-label="Zaps" className="flex flex-wrap items-center gap-3 rounded-lg border border-border bg-surface px-3 py-2 text-sm">
      <span className="font-semibold" data-testid="zap-total">
        <ZapIcon className="mr-1 inline h-4 w-4 text-accent" aria-hidden />
        {zaps.totalSats.toLocaleString('en-US')} sats
      </span>
      <ol aria-label="Top zappers" className="flex flex-wrap items-center gap-3">
        {zaps.topZappers.map((zapper) => (
          <li key={zapper.pubkey} data-testid="top-zapper" className="flex items-center gap-1">
            <UserBadge pubkey={zapper.pubkey} className="max-w-32" />
            <span className="text-muted">{zapper.sats.toLocaleString('en-US')}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

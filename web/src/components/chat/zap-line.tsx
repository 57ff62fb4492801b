import { Zap as ZapIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import type { Zap } from '../../../../src/protocol/zap';
import { UserBadge } from '../avatar';
import { Linkified } from './linkify';
import { formatSats } from '../../lib/sats';

/** A paid zap among the chat's messages: who, to whom when not the host, how many sats, their comment; `actions` (the host's Hide) below. */
export function ZapLine({ zap, host, actions }: { zap: Zap; host: string; actions?: ReactNode }) {
  const sats = formatSats(Math.floor(zap.amountMsats / 1000));
  return (
    <li data-testid="chat-zap" className="rounded-md border border-accent/60 bg-accent/10 px-2 py-1 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <ZapIcon className="h-4 w-4 shrink-0 text-accent" aria-hidden />
        <UserBadge pubkey={zap.sender} className="max-w-40 shrink-0" />
        {zap.recipient === host ? (
          <span className="font-semibold">zapped {sats}</span>
        ) : (
          <>
            <span className="font-semibold">zapped </span>
            <UserBadge pubkey={zap.recipient} className="max-w-32 shrink-0" />
            <span className="font-semibold"> {sats}</span>
          </>
        )}
      </div>
      {zap.comment && (
        <p className="mt-1 break-words">
          <Linkified text={zap.comment} />
        </p>
      )}
      {actions && <div className="mt-1 flex flex-wrap gap-1">{actions}</div>}
    </li>
  );
}

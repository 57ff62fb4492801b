import { useEffect, useState } from 'react';
import { formatCoordinate, type Coordinate } from '../../../src/protocol/coordinate';
import { KIND } from '../../../src/protocol/kinds';
import { validateZapReceipt, type Zap } from '../../../src/protocol/zap';
import type { ChatChannel } from './chat-channel';

export interface ZapSender {
  readonly pubkey: string;
  readonly sats: number;
}

export interface StreamZaps {
  /** Valid receipts, oldest first. */
  readonly zaps: readonly Zap[];
  readonly totalSats: number;
  /** The biggest senders, most sats first. */
  readonly topZappers: readonly ZapSender[];
}

const TOP_ZAPPERS = 5;

/**
 * A stream's zaps, live: kind 9735 receipts for its coordinate on the chat's relays, each kept
 * only when valid for the host's LNURL server (`nostrPubkey`; none known yet means none believed).
 */
export function useStreamZaps(stream: Coordinate, channel: ChatChannel, nostrPubkey: string | undefined): StreamZaps {
  const [zaps, setZaps] = useState<ReadonlyMap<string, Zap>>(new Map());
  const address = formatCoordinate(stream);

  useEffect(() => {
    setZaps(new Map());
    if (!nostrPubkey) return;
    return channel.subscribe({ kinds: [KIND.zapReceipt], '#a': [address] }, (event) => {
      const zap = validateZapReceipt(event, { nostrPubkey, stream: address });
      if (zap.ok) setZaps((previous) => new Map(previous).set(zap.value.receiptId, zap.value));
    });
  }, [address, channel.key, nostrPubkey]);

  const list = [...zaps.values()].sort((a, b) => a.paidAt - b.paidAt);
  const bySender = new Map<string, number>();
  for (const zap of list) bySender.set(zap.sender, (bySender.get(zap.sender) ?? 0) + zap.amountMsats);
  const topZappers = [...bySender]
    .map(([pubkey, msats]) => ({ pubkey, sats: Math.floor(msats / 1000) }))
    .sort((a, b) => b.sats - a.sats)
    .slice(0, TOP_ZAPPERS);
  return { zaps: list, totalSats: Math.floor(list.reduce((sum, zap) => sum + zap.amountMsats, 0) / 1000), topZappers };
}

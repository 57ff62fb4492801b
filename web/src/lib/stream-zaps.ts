import { useEffect, useMemo, useState } from 'react';
import { formatCoordinate, type Coordinate } from '../../../src/protocol/coordinate';
import type { ReceivedEvent } from '../../../src/protocol/event-template';
import { KIND } from '../../../src/protocol/kinds';
import { tagValue } from '../../../src/protocol/nostr-event';
import { validateZapReceipt, type Zap } from '../../../src/protocol/zap';
import type { ChatChannel } from './chat-channel';
import { useLnurlNostrPubkeys } from './lnurl';

export interface ZapSender {
  readonly pubkey: string;
  readonly sats: number;
}

export interface StreamZaps {
  /** Valid receipts to anyone in the stream (the host, a chatter), oldest first. */
  readonly zaps: readonly Zap[];
  /** What the host received. */
  readonly totalSats: number;
  /** The host's biggest senders, most sats first. */
  readonly topZappers: readonly ZapSender[];
}

const TOP_ZAPPERS = 5;

/**
 * A stream's zaps, live: kind 9735 receipts for its coordinate on the chat's relays, each kept only
 * when valid for its recipient's LNURL server (`nostrPubkey` from their kind 0; none known yet means
 * none believed). The total and top zappers count the host's zaps only.
 */
export function useStreamZaps(stream: Coordinate, channel: ChatChannel, host: string | undefined): StreamZaps {
  const [receipts, setReceipts] = useState<ReadonlyMap<string, ReceivedEvent>>(new Map());
  const address = formatCoordinate(stream);

  useEffect(() => {
    setReceipts(new Map());
    return channel.subscribe({ kinds: [KIND.zapReceipt], '#a': [address] }, (event) => {
      setReceipts((previous) => (previous.has(event.id) ? previous : new Map(previous).set(event.id, event)));
    });
  }, [address, channel.key]);

  const recipients = useMemo(() => {
    const named = new Set(host ? [host] : []);
    for (const receipt of receipts.values()) {
      const recipient = tagValue(receipt, 'p');
      if (recipient) named.add(recipient);
    }
    return [...named].sort();
  }, [receipts, host]);
  const keys = useLnurlNostrPubkeys(recipients);

  const list: Zap[] = [];
  for (const receipt of receipts.values()) {
    const recipient = tagValue(receipt, 'p');
    const nostrPubkey = recipient && keys.get(recipient);
    if (!nostrPubkey) continue;
    const zap = validateZapReceipt(receipt, { nostrPubkey, stream: address });
    // The receipt's p chose whose key checks it: the signed zap request must name that same recipient.
    if (zap.ok && zap.value.recipient === recipient) list.push(zap.value);
  }
  list.sort((a, b) => a.paidAt - b.paidAt);
  const hostZaps = list.filter((zap) => zap.recipient === host);
  const bySender = new Map<string, number>();
  for (const zap of hostZaps) bySender.set(zap.sender, (bySender.get(zap.sender) ?? 0) + zap.amountMsats);
  const topZappers = [...bySender]
    .map(([pubkey, msats]) => ({ pubkey, sats: Math.floor(msats / 1000) }))
    .sort((a, b) => b.sats - a.sats)
    .slice(0, TOP_ZAPPERS);
  return { zaps: list, totalSats: Math.floor(hostZaps.reduce((sum, zap) => sum + zap.amountMsats, 0) / 1000), topZappers };
}

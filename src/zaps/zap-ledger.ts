import type { Logger } from 'pino';
import type { Component } from '../component.js';
import { KIND } from '../protocol/kinds.js';
import { tagValue, type NostrEvent } from '../protocol/nostr-event.js';
import type { NostrStore } from '../protocol/nostr-store.js';
import { validateZapReceipt } from '../protocol/zap.js';
import type { OurCoordinates } from '../relay/policies/stream-directory.js';
import type { LnurlKeys } from './lnurl-keys.js';
import type { RecordedZap, ZapRepository } from './zap-repository.js';

export interface ZapLedgerOptions {
  readonly ours: Pick<OurCoordinates, 'named' | 'coordinate'>;
  readonly keys: Pick<LnurlKeys, 'of'>;
  readonly zaps: ZapRepository;
  /** The built-in relay, where reconciling reads a stream's receipts. */
  readonly store: Pick<NostrStore, 'query'>;
  /** Whether the stream is still here: a receipt for an id we never had (or deleted) is not kept. */
  readonly hasStream: (streamId: string) => Promise<boolean>;
  readonly logger: Pick<Logger, 'debug' | 'warn'>;
}

/** The newest receipts reconciling reads per stream: the relay's most per query. */
const RECONCILE_LIMIT = 500;

/**
 * The service's record of valid zaps to its streams. It watches every event the relay delivers
 * and keeps each kind 9735 whose `a` names one of our streams and that passes NIP-57 appendix F
 * against its recipient's LNURL server key (the receipt's `p` picks the recipient; the signed zap
 * request must name the same one). A receipt that fails is logged at debug and left out.
 * The recipient's kind 0 or wallet may be unknown or down when the receipt arrives, so
 * `reconcile` checks the stream's receipts on the relay again (analytics calls it).
 *
 *   const ledger = new ZapLedger({ ours, keys, zaps, store: relay.store, hasStream, logger });
 *   relay.onEvent((event) => ledger.observe(event));
 *   await ledger.reconcile(stream.id);
 */
export class ZapLedger implements Component {
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: ZapLedgerOptions) {}

  observe(event: NostrEvent): void {
    if (this.closed || event.kind !== KIND.zapReceipt) return;
    const work = this.admit(event).catch((error: unknown) =>
      this.options.logger.warn({ err: error, receipt: event.id }, 'recording a zap receipt failed; analytics records it on its next reading'),
    );
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Checks the stream's receipts on the relay that are not recorded yet, and records the valid ones. */
  async reconcile(streamId: string): Promise<void> {
    const coordinate = this.options.ours.coordinate(streamId);
    const receipts = await this.options.store.query([{ kinds: [KIND.zapReceipt], '#a': [coordinate], limit: RECONCILE_LIMIT }]);
    const recorded = await this.options.zaps.recorded(receipts.map((receipt) => receipt.id));
    const missing = receipts.filter((receipt) => !recorded.has(receipt.id));
    for (const receipt of missing) {
      const zap = await this.check(receipt, streamId, coordinate);
      if (zap) await this.options.zaps.record(zap);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.pending);
  }

  private async admit(receipt: NostrEvent): Promise<void> {
    for (const { coordinate, streamId } of this.options.ours.named(receipt)) {
      if (!(await this.options.hasStream(streamId))) continue;
      const zap = await this.check(receipt, streamId, coordinate);
      if (zap) await this.options.zaps.record(zap);
    }
  }

  private async check(receipt: NostrEvent, streamId: string, coordinate: string): Promise<RecordedZap | undefined> {
    const recipient = tagValue(receipt, 'p');
    const refuse = (reason: string) => {
      this.options.logger.debug({ receipt: receipt.id, streamId, reason }, 'zap receipt not counted');
      return undefined;
    };
    if (recipient === undefined) return refuse('the receipt has no p tag');
    const key = await this.options.keys.of(recipient);
    if (!key.ok) return refuse(`no LNURL server key for the recipient: ${key.reason}`);
    const zap = validateZapReceipt(receipt, { nostrPubkey: key.value, stream: coordinate });
    if (!zap.ok) return refuse(zap.reason);
    // The receipt's p chose whose key checks it: the signed zap request must name that same recipient.
    if (zap.value.recipient !== recipient) return refuse("the receipt's p is not the zap request's recipient");
    const { receiptId, sender, amountMsats, comment, event, paidAt } = zap.value;
    return { receiptId, streamId, recipient, sender, amountMsats, comment, ...(event !== undefined && { event }), paidAt };
  }
}

import type { ExpressionBuilder, Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import type { Zap } from '../protocol/zap.js';

/** Whose zaps in which stream (the host's, for the stream's total). */
export interface StreamRecipient {
  readonly streamId: string;
  readonly recipient: string;
}

const forPairs =
  (pairs: readonly StreamRecipient[]) =>
  (eb: ExpressionBuilder<DatabaseSchema, 'zaps'>) =>
    eb.or(pairs.map((pair) => eb.and([eb('stream_id', '=', pair.streamId), eb('recipient', '=', pair.recipient)])));

/** A recorded zap: the checked receipt's figures and the stream it was for. */
export type RecordedZap = Omit<Zap, 'stream'> & { readonly streamId: string };

/**
 * The zap ledger's table. Inserts are idempotent (every node sees every receipt when the relay
 * fans out over Redis, and analytics reconciles what the listener may have missed).
 *
 *   await zaps.record(zap);
 *   const totals = await zaps.totals(page.map((stream) => ({ streamId: stream.id, recipient: stream.pubkey })));
 */
export class ZapRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async record(zap: RecordedZap): Promise<void> {
    await this.db
      .insertInto('zaps')
      .values({
        receipt_id: zap.receiptId,
        stream_id: zap.streamId,
        recipient: zap.recipient,
        sender: zap.sender,
        amount_msats: zap.amountMsats,
        comment: zap.comment,
        event_id: zap.event ?? null,
        paid_at: zap.paidAt,
      })
      .onConflict((conflict) => conflict.column('receipt_id').doNothing())
      .execute();
  }

  /** Those of these receipts that are already recorded. */
  async recorded(receiptIds: readonly string[]): Promise<Set<string>> {
    if (receiptIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('zaps').select('receipt_id').where('receipt_id', 'in', receiptIds).execute();
    return new Set(rows.map((row) => row.receipt_id));
  }

  /** The zaps to each stream's recipient, oldest first. */
  async to(pairs: readonly StreamRecipient[]): Promise<Map<string, RecordedZap[]>> {
    const found = new Map<string, RecordedZap[]>(pairs.map((pair) => [pair.streamId, []]));
    if (pairs.length === 0) return found;
    const rows = await this.db.selectFrom('zaps').selectAll().where(forPairs(pairs)).orderBy('paid_at').orderBy('receipt_id').execute();
    for (const row of rows) {
      found.get(row.stream_id)?.push({
        receiptId: row.receipt_id,
        streamId: row.stream_id,
        recipient: row.recipient,
        sender: row.sender,
        amountMsats: Number(row.amount_msats),
        comment: row.comment,
        ...(row.event_id !== null && { event: row.event_id }),
        paidAt: Number(row.paid_at),
      });
    }
    return found;
  }

  /** Millisats received by each stream's `recipient`, in one grouped query for a whole page of streams. */
  async totals(pairs: readonly StreamRecipient[]): Promise<Map<string, number>> {
    const totals = new Map<string, number>(pairs.map((pair) => [pair.streamId, 0]));
    if (pairs.length === 0) return totals;
    const rows = await this.db
      .selectFrom('zaps')
      .select((eb) => ['stream_id', 'recipient', eb.fn.sum<number | string>('amount_msats').as('msats')])
      .where(forPairs(pairs))
      .groupBy(['stream_id', 'recipient'])
      .execute();
    for (const row of rows) totals.set(row.stream_id, Number(row.msats));
    return totals;
  }
}

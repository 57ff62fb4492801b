import type { Kysely } from 'kysely';

/**
 * The zap ledger: every valid zap receipt (NIP-57 appendix F) to one of our streams, so the API,
 * the cards and analytics count sats without reading and checking receipts on every request.
 */
export function zapsMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('zaps')
        .addColumn('receipt_id', 'varchar(64)', (col) => col.primaryKey())
        .addColumn('stream_id', 'varchar(36)', (col) => col.notNull().references('streams.id').onDelete('cascade'))
        .addColumn('recipient', 'varchar(64)', (col) => col.notNull())
        .addColumn('sender', 'varchar(64)', (col) => col.notNull())
        .addColumn('amount_msats', 'bigint', (col) => col.notNull())
        .addColumn('comment', 'text', (col) => col.notNull().defaultTo(''))
        .addColumn('event_id', 'varchar(64)')
        .addColumn('paid_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('idx_zaps_stream_paid').on('zaps').columns(['stream_id', 'paid_at']).execute();
    },
  };
}

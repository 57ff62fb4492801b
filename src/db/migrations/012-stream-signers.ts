import type { Kysely } from 'kysely';

/**
 * Whose key signs a stream's 30311 (`service` for every stream made before this), and for a
 * streamer-signed one its NIP-46 session and the `ended` version its bunker signed ahead, kept
 * here so that a restart can still end the stream when the bunker is gone.
 */
export function streamSignersMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('streams')
        .addColumn('signer', 'varchar(8)', (column) => column.notNull().defaultTo('service'))
        .execute();
      await db.schema
        .createTable('stream_signers')
        .addColumn('stream_id', 'varchar(36)', (col) => col.primaryKey().references('streams.id').onDelete('cascade'))
        .addColumn('client_secret', 'varchar(64)', (col) => col.notNull())
        .addColumn('bunker_pubkey', 'varchar(64)', (col) => col.notNull())
        .addColumn('relays', 'text', (col) => col.notNull())
        .addColumn('ended_twin', 'text')
        .execute();
    },
  };
}

import type { Kysely } from 'kysely';

/**
 * Forwarding destinations: other RTMP servers a stream is restreamed to. `key_sealed` is
 * the destination's stream key encrypted (forwarding/secret-box.ts); the plaintext is never stored.
 */
export function streamDestinationsMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('stream_destinations')
        .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
        .addColumn('stream_id', 'varchar(36)', (col) => col.notNull().references('streams.id').onDelete('cascade'))
        .addColumn('name', 'varchar(60)', (col) => col.notNull())
        .addColumn('url', 'varchar(500)', (col) => col.notNull())
        .addColumn('key_sealed', 'text', (col) => col.notNull())
        .addColumn('key_hint', 'varchar(8)', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('idx_stream_destinations_stream').on('stream_destinations').column('stream_id').execute();
    },
  };
}

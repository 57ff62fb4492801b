import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.js';

/** The plan's streams, stream_tags and stream_metrics tables, adapted to both engines. */
export function streamsMigration(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('streams')
        .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
        .addColumn('pubkey', 'varchar(64)', (col) => col.notNull())
        .addColumn('title', 'varchar(100)', (col) => col.notNull())
        .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
        .addColumn('category', 'varchar(50)', (col) => col.notNull())
        .addColumn('visibility', 'varchar(10)', (col) => col.notNull().defaultTo('public'))
        .addColumn('enable_chat', 'integer', (col) => col.notNull().defaultTo(1))
        .addColumn('record', 'integer', (col) => col.notNull().defaultTo(1))
        .addColumn('quality', 'varchar(10)', (col) => col.notNull())
        .addColumn('stream_key_hash', 'varchar(64)', (col) => col.notNull().unique())
        .addColumn('rtmp_ingest_url', 'varchar(255)', (col) => col.notNull())
        .addColumn('hls_playback_url', 'varchar(255)', (col) => col.notNull())
        .addColumn('status', 'varchar(20)', (col) => col.notNull().defaultTo('created'))
        .addColumn('status_reason', 'text')
        .addColumn('started_at', 'bigint')
        .addColumn('ended_at', 'bigint')
        .addColumn('current_viewers', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('max_viewers', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('total_viewers', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('idx_streams_pubkey').on('streams').column('pubkey').execute();
      await db.schema.createIndex('idx_streams_status').on('streams').column('status').execute();
      await db.schema.createIndex('idx_streams_category').on('streams').column('category').execute();
      await db.schema.createIndex('idx_streams_started_at').on('streams').column('started_at').execute();

      await db.schema
        .createTable('stream_tags')
        .addColumn('stream_id', 'varchar(36)', (col) => col.notNull().references('streams.id').onDelete('cascade'))
        .addColumn('tag', 'varchar(50)', (col) => col.notNull())
        .addPrimaryKeyConstraint('stream_tags_pk', ['stream_id', 'tag'])
        .execute();
      await db.schema.createIndex('idx_stream_tags_tag').on('stream_tags').column('tag').execute();

      await db.schema
        .createTable('stream_metrics')
        .addColumn('id', engine === 'postgres' ? sql`bigserial` : 'integer', (col) =>
          engine === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
        )
        .addColumn('stream_id', 'varchar(36)', (col) => col.notNull().references('streams.id').onDelete('cascade'))
        .addColumn('timestamp', 'bigint', (col) => col.notNull())
        .addColumn('concurrent_viewers', 'integer', (col) => col.notNull())
        .addColumn('total_viewers', 'integer', (col) => col.notNull())
        .addColumn('chat_messages', 'integer', (col) => col.notNull())
        .addColumn('bitrate', 'integer')
        .execute();
      await db.schema
        .createIndex('idx_stream_metrics_stream_timestamp')
        .on('stream_metrics')
        .columns(['stream_id', 'timestamp'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('stream_metrics').execute();
      await db.schema.dropTable('stream_tags').execute();
      await db.schema.dropTable('streams').execute();
    },
  };
}

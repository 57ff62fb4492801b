import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * "Now playing": every track a streamer sets, in order (the stream's timeline), and the
 * current one on the stream row itself, so showing a stream costs no extra query.
 */
export function streamTracksMigration(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('stream_tracks')
        .addColumn('id', engine === 'postgres' ? sql`bigserial` : 'integer', (col) =>
          engine === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement(),
        )
        .addColumn('stream_id', 'varchar(36)', (col) => col.notNull().references('streams.id').onDelete('cascade'))
        .addColumn('title', 'text', (col) => col.notNull())
        .addColumn('artist', 'text', (col) => col.notNull().defaultTo(''))
        .addColumn('link', 'text')
        .addColumn('started_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('idx_stream_tracks_stream').on('stream_tracks').columns(['stream_id', 'id']).execute();
      // One column per statement: SQLite's ALTER TABLE adds one at a time.
      for (const [column, type] of [
        ['now_playing_title', 'text'],
        ['now_playing_artist', 'text'],
        ['now_playing_link', 'text'],
        ['now_playing_started_at', 'bigint'],
      ] as const) {
        await db.schema.alterTable('streams').addColumn(column, type).execute();
      }
    },
  };
}

import type { Kysely } from 'kysely';

/**
 * When the streamer plans to go live (Unix seconds): the 30311's `starts` while the stream is
 * planned. Null for streams nobody scheduled, which is every existing row.
 */
export function streamScheduleMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('streams').addColumn('starts_at', 'bigint').execute();
    },
  };
}

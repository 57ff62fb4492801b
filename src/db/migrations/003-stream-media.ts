import type { Kysely } from 'kysely';

/** What the media pipeline adds to a stream: the pause flag and where its recording is. */
export function streamMediaMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('streams').addColumn('paused', 'integer', (col) => col.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('streams').addColumn('recording_url', 'varchar(255)').execute();
    },
  };
}

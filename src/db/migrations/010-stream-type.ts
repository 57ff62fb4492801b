import type { Kysely } from 'kysely';

/** What the streamer says they send (`video` or `audio`); streams made before this were all video. */
export function streamTypeMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('streams')
        .addColumn('stream_type', 'varchar(5)', (column) => column.notNull().defaultTo('video'))
        .execute();
    },
  };
}

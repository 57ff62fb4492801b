import { sql, type Kysely } from 'kysely';

/**
 * When the stream's first picture was taken; null until then, so a stream that never received
 * media has no thumbnail address. Streams that went live before this column had pictures taken
 * as they went live: they keep their thumbnail.
 */
export function streamThumbnailMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('streams').addColumn('thumbnail_at', 'bigint').execute();
      await sql`UPDATE streams SET thumbnail_at = started_at WHERE started_at IS NOT NULL`.execute(db);
    },
  };
}

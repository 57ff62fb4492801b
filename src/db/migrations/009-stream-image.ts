import type { Kysely } from 'kysely';

/**
 * The cover picture a streamer gives (the 30311 `image`); null when none was given, and the
 * live thumbnail stands in. 500 characters as the settings allow: PostgreSQL counts characters too.
 */
export function streamImageMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('streams').addColumn('image_url', 'varchar(500)').execute();
    },
  };
}

import type { Kysely } from 'kysely';

/** The people a host names to moderate their stream's chat (written into the 30311 as `moderator`). */
export function streamModeratorsMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('stream_moderators')
        .addColumn('stream_id', 'varchar(36)', (col) => col.notNull().references('streams.id').onDelete('cascade'))
        .addColumn('pubkey', 'varchar(64)', (col) => col.notNull())
        .addPrimaryKeyConstraint('stream_moderators_pk', ['stream_id', 'pubkey'])
        .execute();
    },
  };
}

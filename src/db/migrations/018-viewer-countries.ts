import type { Kysely } from 'kysely';

/**
 * Viewer geography: how many viewers of a stream came from each country. Only the country is
 * kept (looked up from the address when a viewer session starts); never the address.
 */
export function viewerCountriesMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('stream_viewer_countries')
        .addColumn('stream_id', 'varchar(36)', (col) => col.notNull().references('streams.id').onDelete('cascade'))
        .addColumn('country', 'varchar(2)', (col) => col.notNull())
        .addColumn('viewers', 'integer', (col) => col.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('pk_stream_viewer_countries', ['stream_id', 'country'])
        .execute();
    },
  };
}

import type { Kysely } from 'kysely';

/**
 * Running totals a metrics sample carries besides the plan's columns, so a stream's
 * analytics survive a restart: watch time, buffering reported by players, encoder dropouts.
 */
export function streamMetricsQualityMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const column of ['watch_seconds', 'buffering_events', 'dropouts']) {
        await db.schema
          .alterTable('stream_metrics')
          .addColumn(column, 'integer', (col) => col.notNull().defaultTo(0))
          .execute();
      }
    },
  };
}

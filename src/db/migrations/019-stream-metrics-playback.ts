import type { Kysely } from 'kysely';

/**
 * Two more running totals from the players' reports, so the owner's quality figures say how
 * long viewers waited and how often the picture changed rendition: buffering time (seconds,
 * summed over every viewer) and quality switches. Earlier samples read 0.
 */
export function streamMetricsPlaybackMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const column of ['buffering_seconds', 'quality_switches']) {
        await db.schema
          .alterTable('stream_metrics')
          .addColumn(column, 'integer', (col) => col.notNull().defaultTo(0))
          .execute();
      }
    },
  };
}

import type { Kysely } from 'kysely';

/** The stream's NIP-75 zap goal (a kind 9041 event id, the 30311 `goal`); null when none is set. */
export function streamGoalMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('streams').addColumn('goal_event_id', 'varchar(64)').execute();
    },
  };
}

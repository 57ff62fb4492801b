import type { Kysely } from 'kysely';
import type { Engine } from '../database.js';

/**
 * NIP-09 deletion targets were varchar(200), but an `a` target is `<kind>:<pubkey>:<d>` and
 * a `d` tag may be longer than the ~130 characters that leaves: PostgreSQL refused those
 * rows. The relay now bounds coordinates itself (RELAY_LIMITS.maxAddressBytes), so the
 * column only needs to hold what passes. SQLite does not enforce declared lengths.
 */
export function nostrDeletionTargetsMigration(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (engine !== 'postgres') return;
      await db.schema
        .alterTable('nostr_deletions')
        .alterColumn('target', (column) => column.setDataType('text'))
        .execute();
    },
  };
}

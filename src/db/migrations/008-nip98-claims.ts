import type { Kysely } from 'kysely';

/**
 * NIP-98 auth event ids already used, until their time window closes. In the database rather
 * than in memory so that a captured header cannot be replayed on another node or just after
 * a restart.
 */
export function nip98ClaimsMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('nip98_claims')
        .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
        .addColumn('expires_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema.createIndex('nip98_claims_expires_at').on('nip98_claims').column('expires_at').execute();
    },
  };
}

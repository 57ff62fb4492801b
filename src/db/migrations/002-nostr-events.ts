import type { Kysely } from 'kysely';

/**
 * The relay's events. Tags are kept whole as JSON on the event and, for the indexed
 * names, one row each in nostr_tags, with the event's kind and time copied in so that
 * the product's hot queries (1311 by #a since T; 30311 by #p/#t/#status; reactions by
 * #a/#e) are answered from one index.
 */
export function nostrEventsMigration() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('nostr_events')
        .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
        .addColumn('pubkey', 'varchar(64)', (col) => col.notNull())
        .addColumn('kind', 'integer', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('content', 'text', (col) => col.notNull())
        .addColumn('tags', 'text', (col) => col.notNull())
        .addColumn('sig', 'varchar(128)', (col) => col.notNull())
        // (kind, pubkey, slot) is unique for replaceable ('' slot) and addressable (d) events; NULL for the rest.
        .addColumn('slot', 'text')
        .addColumn('expires_at', 'bigint')
        .execute();
      await db.schema.createIndex('idx_nostr_events_kind_time').on('nostr_events').columns(['kind', 'created_at']).execute();
      await db.schema
        .createIndex('idx_nostr_events_author_kind_time')
        .on('nostr_events')
        .columns(['pubkey', 'kind', 'created_at'])
        .execute();
      await db.schema.createIndex('idx_nostr_events_time').on('nostr_events').column('created_at').execute();
      await db.schema
        .createIndex('idx_nostr_events_slot')
        .on('nostr_events')
        .columns(['kind', 'pubkey', 'slot'])
        .unique()
        .execute();
      await db.schema.createIndex('idx_nostr_events_expires').on('nostr_events').column('expires_at').execute();

      await db.schema
        .createTable('nostr_tags')
        .addColumn('event_id', 'varchar(64)', (col) => col.notNull().references('nostr_events.id').onDelete('cascade'))
        .addColumn('name', 'varchar(16)', (col) => col.notNull())
        .addColumn('value', 'varchar(512)', (col) => col.notNull())
        .addColumn('kind', 'integer', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('idx_nostr_tags_lookup')
        .on('nostr_tags')
        .columns(['name', 'value', 'kind', 'created_at'])
        .execute();
      await db.schema.createIndex('idx_nostr_tags_event').on('nostr_tags').column('event_id').execute();

      // NIP-09: what an author deleted, so it is not accepted again.
      await db.schema
        .createTable('nostr_deletions')
        .addColumn('target', 'varchar(200)', (col) => col.notNull())
        .addColumn('pubkey', 'varchar(64)', (col) => col.notNull())
        .addColumn('deleted_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('nostr_deletions_pk', ['target', 'pubkey'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('nostr_deletions').execute();
      await db.schema.dropTable('nostr_tags').execute();
      await db.schema.dropTable('nostr_events').execute();
    },
  };
}

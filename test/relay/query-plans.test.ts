import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { openDatabase } from '../../src/db/open.js';
import { parseFilter } from '../../src/relay/filter.js';
import { RELAY_LIMITS } from '../../src/relay/limits.js';
import { SqlEventStore } from '../../src/relay/store/sql-event-store.js';
import { databaseUrlFor, ENGINES } from '../../testkit/engines.js';

const pubkey = 'a'.repeat(64);
const stream = `30311:${pubkey}:stream-1`;

/** The filters the product sends (web app and service), as JSON on the wire. */
const TAG_QUERIES: Record<string, unknown> = {
  'live events by participant (#p)': { kinds: [30311], '#p': [pubkey], limit: 100 },
  'live events by hashtag (#t)': { kinds: [30311], '#t': ['music'], limit: 100 },
  'live events by status (#status)': { kinds: [30311], '#status': ['live'] },
  'chat of a stream since a time (#a, since)': { kinds: [1311], '#a': [stream], since: 1_700_000_000, limit: 200 },
  'chat, reactions and removals of a stream (#a)': { kinds: [1311, 7, 9005], '#a': [stream], limit: 200 },
  'reactions to a stream (#a)': { kinds: [7], '#a': [stream] },
  'reactions to a message (#e)': { kinds: [7], '#e': ['b'.repeat(64)] },
  'reports about a stream (#a)': { kinds: [1984], '#a': [stream], limit: 100 },
};

/**
 * How each engine would run the relay's queries for the product (EXPLAIN on the very SQL
 * the store builds): a tag condition is answered from the tag index, and events are then
 * fetched by id, never by walking the events table or all events of a kind.
 */
describe.each(ENGINES)('relay query plans on %s', (engine) => {
  let database: Database;
  let store: SqlEventStore;
  let dataDir: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-plans-'));
    const scratch = await databaseUrlFor(engine);
    drop = scratch.drop;
    database = await openDatabase({ dataDir, databaseUrl: scratch.url });
    store = new SqlEventStore(database.db);
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function plan(json: unknown): Promise<string> {
    const filter = parseFilter(json);
    if (typeof filter === 'string') throw new Error(filter);
    const query = store.compile(filter, RELAY_LIMITS.maxLimit);
    if (!query) throw new Error('the filter compiled to no query');
    if (engine === 'sqlite') {
      const { rows } = await database.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]),
      );
      return rows.map((row) => row.detail).join('\n');
    }
    return database.db.transaction().execute(async (trx) => {
      // These tables are empty, where a sequential scan is cheapest whatever the indexes: the
      // question here is whether an index can serve the query, so take that option away.
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const { rows } = await trx.executeQuery<{ 'QUERY PLAN': string }>(
        CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters]),
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  it.each(Object.entries(TAG_QUERIES))('%s: from the tag index, then events by id', async (_name, filter) => {
    const text = await plan(filter);
    if (engine === 'sqlite') {
      expect(text).toMatch(/SEARCH t USING (COVERING )?INDEX idx_nostr_tags_lookup \(name=\? AND value=\?/);
      expect(text).toMatch(/SEARCH e USING INDEX sqlite_autoindex_nostr_events_1 \(id=\?\)/);
      expect(text).not.toMatch(/^SCAN /m);
    } else {
      expect(text).toMatch(/Index (Only )?Scan using idx_nostr_tags_lookup on nostr_tags t/);
      expect(text).toMatch(/Index Scan using nostr_events_pkey on nostr_events e/);
      expect(text).not.toMatch(/Seq Scan/);
    }
  });

  it.each([
    ['the discovery page (kinds and limit only)', { kinds: [30311], limit: 200 }, 'idx_nostr_events_kind_time'],
    ['a stream by its address (authors and #d)', { kinds: [30311], authors: [pubkey], '#d': ['stream-1'] }, 'idx_nostr_events_author_kind_time'],
  ])('%s: from an index of the events table', async (_name, filter, index) => {
    const text = await plan(filter);
    expect(text).toContain(index);
    expect(text).not.toMatch(engine === 'sqlite' ? /^SCAN /m : /Seq Scan/);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrlFor, ENGINES } from '../../testkit/engines.js';
import type { Database } from './database.js';
import { openDatabase } from './open.js';
import { queryTemplate } from './query-template.js';

describe.each(ENGINES)('queryTemplate on %s', (engine) => {
  let dataDir: string;
  let drop: () => Promise<void>;
  let database: Database;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-template-'));
    const scratch = await databaseUrlFor(engine);
    drop = scratch.drop;
    database = await openDatabase({ dataDir, databaseUrl: scratch.url });
  });

  afterAll(async () => {
    await database.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs one compiled query again with each call’s values in the places the dialect put them', async () => {
    const { db } = database;
    // Marked in another order than the columns are written, so a mix-up shows.
    const insert = queryTemplate<'target' | 'pubkey' | 'at'>((mark) =>
      db
        .insertInto('nostr_deletions')
        .values({ pubkey: mark.text('pubkey'), deleted_at: mark.number('at'), target: mark.text('target') })
        .compile(),
    );
    const targetsOf = queryTemplate<'pubkey'>((mark) =>
      db.selectFrom('nostr_deletions').select(['target', 'deleted_at']).where('pubkey', '=', mark.text('pubkey')).orderBy('deleted_at').limit(2).compile(),
    );
    for (const [at, target] of [[30, 'c'], [10, 'a'], [20, 'b']] as const) {
      await db.executeQuery(insert({ target: target.repeat(64), pubkey: 'f'.repeat(64), at }));
    }
    await db.executeQuery(insert({ target: 'e'.repeat(64), pubkey: '1'.repeat(64), at: 5 }));

    const { rows } = await db.executeQuery(targetsOf({ pubkey: 'f'.repeat(64) }));
    // The LIMIT is a constant of the query, kept as compiled.
    expect(rows).toEqual([
      { target: 'a'.repeat(64), deleted_at: 10 },
      { target: 'b'.repeat(64), deleted_at: 20 },
    ]);
    expect(insert({ target: 'y', pubkey: 'z', at: 1 }).sql).toBe(insert({ target: 'r', pubkey: 's', at: 2 }).sql);
  });
});

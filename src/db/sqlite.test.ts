import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from './sqlite.js';

describe('the SQLite database when its disk is full', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-sqlite-full-'));
  const database = openSqliteDatabase(dataDir);
  afterAll(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('throws SQLITE_FULL out of a transaction, not the failed ROLLBACK after it, and works again once there is room', async () => {
    await sql`create table blobs (data blob)`.execute(database.db);
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(database.db);
    // max_page_count stands in for a full disk: SQLite answers writes past it with SQLITE_FULL.
    await sql.raw(`pragma max_page_count = ${rows[0]?.page_count ?? 2}`).execute(database.db);
    const write = () =>
      database.db.transaction().execute(async (trx) => {
        await sql`insert into blobs values (zeroblob(1000000))`.execute(trx);
        await sql`insert into blobs values (zeroblob(1000000))`.execute(trx);
      });
    await expect(write()).rejects.toMatchObject({ code: 'SQLITE_FULL' });

    await sql.raw('pragma max_page_count = 1073741823').execute(database.db);
    await write();
    const count = await sql<{ n: number }>`select count(*) as n from blobs`.execute(database.db);
    expect(count.rows[0]?.n).toBe(2);
  });
});

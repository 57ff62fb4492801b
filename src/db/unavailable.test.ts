import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../testkit/server.js';
import { TEST_DATABASE_URL } from '../../testkit/postgres.js';
import { isDatabaseUnavailable } from './unavailable.js';

/** What a query through a real client and pool throws. */
async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the work to fail');
}

describe('isDatabaseUnavailable, on the errors node-postgres really throws', () => {
  it('is true for a server that is not listening', async () => {
    const pool = new pg.Pool({ connectionString: `postgres://wavlake@127.0.0.1:${await freePort()}/postgres` });
    pool.on('error', () => undefined);
    expect(isDatabaseUnavailable(await failure(() => pool.query('select 1')))).toBe(true);
    await pool.end();
  });

  it('is true for a connection the server cuts (a restart terminates every session)', async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    client.on('error', () => undefined);
    await client.connect();
    const error = await failure(() => client.query('select pg_terminate_backend(pg_backend_pid())'));
    expect(isDatabaseUnavailable(error)).toBe(true);
    // The client is dead now; using it again says so the same way.
    expect(isDatabaseUnavailable(await failure(() => client.query('select 1')))).toBe(true);
    await client.end().catch(() => undefined);
  });

  it('is false for a query the database refuses, and for anything not an error', async () => {
    const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL });
    expect(isDatabaseUnavailable(await failure(() => pool.query('select * from no_such_table')))).toBe(false);
    expect(isDatabaseUnavailable(await failure(() => pool.query("select 'x'::int")))).toBe(false);
    await pool.end();
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});

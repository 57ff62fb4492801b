import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where the suite's PostgreSQL is: `scripts/test-services.sh` starts it with this role. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://wavlake:wavlake@127.0.0.1:5432/postgres';

/**
 * A fresh, empty PostgreSQL database for one test file, dropped again by `drop()`.
 *
 *   const scratch = await createScratchDatabase();
 *   ... DATABASE_URL = scratch.url ...
 *   await scratch.drop();
 */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `wlk_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // A background worker of another role can hold the database a moment longer: try again.
    drop: async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
          return;
        } catch (error) {
          if (attempt >= 5) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        }
      }
    },
  };
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_DATABASE_URL}: run \`bash scripts/test-services.sh\` (as root) or set TEST_DATABASE_URL. (${String(error)})`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import type { DatabaseSchema } from './schema.js';

const INT8_OID = 20;

export function openPostgresDatabase(databaseUrl: string, onConnectionError: (error: Error) => void): Database {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    // A server that does not answer (a partition, a host gone) fails queries after 5 s instead of
    // holding them forever; callers see the database as unreachable and retry.
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
    // Unix-second timestamps are int8 columns; they fit a JS number, so read them as one.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
    } as pg.CustomTypesConfig,
  });
  // A connection lost while checked out (a cut network, a killed server, mid-query or mid-
  // transaction) errors on the client, where pg-pool listens only while it is idle: without a
  // listener of our own the process dies. The query fails with the same error, and the pool
  // drops the dead client when it comes back. An idle one is reported here too, so the pool's
  // own 'error' (which must be listened to) has nothing left to say.
  pool.on('connect', (client) => client.on('error', (error) => onConnectionError(error)));
  pool.on('error', () => undefined);
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    db,
    close: () => db.destroy(),
  };
}

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import type { DatabaseSchema } from './schema.js';

const INT8_OID = 20;

export function openPostgresDatabase(databaseUrl: string, onIdleError: (error: Error) => void): Database {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    // Unix-second timestamps are int8 columns; they fit a JS number, so read them as one.
    types: {
      getTypeParser: (oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
    } as pg.CustomTypesConfig,
  });
  // An idle connection the server drops (a restart, a failover) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', (error) => onIdleError(error));
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    db,
    close: () => db.destroy(),
  };
}

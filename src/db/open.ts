import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { openPostgresDatabase } from './postgres.js';
import { openSqliteDatabase } from './sqlite.js';

export interface DatabaseOptions {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** Told when PostgreSQL drops a connection, idle or in use (logged; the pool reconnects). */
  readonly onConnectionError?: (error: Error) => void;
}

/** Opens PostgreSQL when a URL is given, else the SQLite file in the data folder, and migrates it. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.databaseUrl ? openPostgresDatabase(options.databaseUrl, options.onConnectionError ?? (() => undefined)) : openSqliteDatabase(options.dataDir);
  try {
    await migrateToLatest(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

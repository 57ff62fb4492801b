import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './database.js';
import type { DatabaseSchema } from './schema.js';

export const SQLITE_FILE_NAME = 'wavlake-live.sqlite';

export function openSqliteDatabase(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true });
  const connection = new SQLite(path.join(dataDir, SQLITE_FILE_NAME));
  // WAL lets readers (relay queries, API lists) proceed while a write is in progress.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: connection }) });
  return {
    engine: 'sqlite',
    db,
    close: () => db.destroy(),
  };
}

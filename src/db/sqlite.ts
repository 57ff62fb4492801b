import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import type { Database } from './database.js';
import type { DatabaseSchema } from './schema.js';
import { StatementCache } from './statement-cache.js';

export const SQLITE_FILE_NAME = 'wavlake-live.sqlite';

export function openSqliteDatabase(dataDir: string): Database {
  mkdirSync(dataDir, { recursive: true });
  const connection = new SQLite(path.join(dataDir, SQLITE_FILE_NAME));
  // WAL lets readers (relay queries, API lists) proceed while a write is in progress.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  const db = new Kysely<DatabaseSchema>({ dialect: new CauseKeepingSqliteDialect(connection) });
  return {
    engine: 'sqlite',
    db,
    close: () => db.destroy(),
  };
}

/**
 * SQLite rolls a transaction back by itself when a statement in it fails with SQLITE_FULL
 * (or an I/O error). Kysely's ROLLBACK then fails with "cannot rollback - no transaction is
 * active", and that error is thrown instead of the one saying the disk is full: roll back
 * only a transaction that is still open.
 */
class CauseKeepingSqliteDriver extends SqliteDriver {
  constructor(private readonly connection: SQLite.Database) {
    super({ database: new StatementCache(connection) });
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.connection.inTransaction) await super.rollbackTransaction(connection);
  }
}

class CauseKeepingSqliteDialect extends SqliteDialect {
  constructor(private readonly connection: SQLite.Database) {
    super({ database: connection });
  }

  override createDriver(): Driver {
    return new CauseKeepingSqliteDriver(this.connection);
  }
}

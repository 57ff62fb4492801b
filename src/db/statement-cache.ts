import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Statements kept prepared: the relay's and the API's queries are a few dozen texts; IN lists of every length add more. */
const MAX_STATEMENTS = 500;

/**
 * better-sqlite3 as Kysely sees it, with each SQL text prepared once: Kysely's driver
 * prepares every statement it runs again, which was about 8 % of the relay's ingest. The
 * cache is bounded (the oldest statement goes first), so varied texts cannot grow it.
 *
 *   new Kysely({ dialect: new SqliteDialect({ database: new StatementCache(connection) }) });
 */
export class StatementCache implements SqliteDatabase {
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(private readonly connection: SqliteDatabase) {}

  prepare(sql: string): SqliteStatement {
    const cached = this.statements.get(sql);
    if (cached) return cached;
    const statement = this.connection.prepare(sql);
    if (this.statements.size >= MAX_STATEMENTS) {
      const oldest = this.statements.keys().next();
      if (!oldest.done) this.statements.delete(oldest.value);
    }
    this.statements.set(sql, statement);
    return statement;
  }

  close(): void {
    this.statements.clear();
    this.connection.close();
  }

  /** How many statements are held (for tests). */
  get size(): number {
    return this.statements.size;
  }
}

import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

/**
 * One data layer over either engine; callers use `db` and never branch on `engine`
 * (migrations are the one place that does, for column types).
 *
 *   const database = await openDatabase({ dataDir, databaseUrl });
 *   await database.db.selectFrom('streams').selectAll().execute();
 *   await database.close();
 */
export interface Database {
  readonly engine: Engine;
  readonly db: Kysely<DatabaseSchema>;
  close(): Promise<void>;
}

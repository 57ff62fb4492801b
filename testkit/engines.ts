import type { Engine } from '../src/db/database.js';
import { createScratchDatabase } from './postgres.js';

/**
 * The database engines every data-layer and API test runs against.
 *
 *   describe.each(ENGINES)('on %s', (engine) => { const db = useDatabaseUrl(engine); ... });
 */
export const ENGINES: readonly Engine[] = ['sqlite', 'postgres'];

/** A DATABASE_URL for the engine: undefined for SQLite (the default), a scratch database for PostgreSQL. */
export async function databaseUrlFor(engine: Engine): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  if (engine === 'sqlite') return { url: undefined, drop: async () => undefined };
  return createScratchDatabase();
}

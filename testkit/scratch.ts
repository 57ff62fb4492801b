import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database, Engine } from '../src/db/database.js';
import { openDatabase } from '../src/db/open.js';
import { createScratchDatabase } from './postgres.js';

/** A data folder and a migrated database of its own, for one test or one file, gone again after `close()`. */
export interface ScratchService {
  readonly dataDir: string;
  readonly database: Database;
  close(): Promise<void>;
}

/**
 * The scratch services a unit test runs against: a fresh temp data folder and a fresh
 * database on the engine (SQLite in that folder, or a scratch PostgreSQL database on the
 * suite's server), migrated as the service migrates it.
 *
 *   const scratch = await openScratch('postgres');
 *   const repository = new StreamRepository(scratch.database.db);
 *   await scratch.close();
 */
export async function openScratch(engine: Engine = 'sqlite'): Promise<ScratchService> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `wlk-${engine}-`));
  const postgres = engine === 'postgres' ? await createScratchDatabase() : undefined;
  const database = await openDatabase({ dataDir, databaseUrl: postgres?.url });
  return {
    dataDir,
    database,
    close: async () => {
      await database.close();
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

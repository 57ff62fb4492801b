import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Database, Engine } from '../src/db/database.js';
import { openDatabase } from '../src/db/open.js';
import { StreamRepository } from '../src/streams/stream-repository.js';
import { StreamService, type StreamUrls } from '../src/streams/stream-service.js';
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

/** Where a scratch stream service says its streams are: nothing listens there, unit tests only read them. */
export const SCRATCH_URLS: StreamUrls = {
  rtmpIngest: 'rtmp://127.0.0.1:1935/live',
  hlsPlayback: (id) => `http://localhost:8080/hls/${id}/master.m3u8`,
};

export interface ScratchStreams extends ScratchService {
  readonly repository: StreamRepository;
  readonly streams: StreamService;
}

/**
 * The stream service over a scratch SQLite database (60 s reconnect grace, silent logs), for
 * unit tests of what reacts to streams. `close()` closes the service, then the database.
 *
 *   const scratch = await openScratchStreams();
 *   const { stream } = await scratch.streams.create(pubkey, settings);
 *   await scratch.close();
 */
export async function openScratchStreams(): Promise<ScratchStreams> {
  const scratch = await openScratch();
  const repository = new StreamRepository(scratch.database.db);
  const streams = new StreamService(repository, SCRATCH_URLS, { reconnectGraceMs: 60_000, logger: pino({ level: 'silent' }) });
  return {
    ...scratch,
    repository,
    streams,
    close: async () => {
      streams.close();
      await scratch.close();
    },
  };
}

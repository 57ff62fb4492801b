import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './server.js';

const run = promisify(execFile);

/** PostgreSQL's server binaries; Debian puts each major version under /usr/lib/postgresql/<n>/bin. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((version) => path.join(root, version, 'bin')).find((bin) => existsSync(path.join(bin, 'pg_ctl')));
  if (!found) throw new Error('No PostgreSQL server binaries under /usr/lib/postgresql/*/bin: install postgresql.');
  return found;
}

export interface PrivatePostgres {
  /** DATABASE_URL for the server's `postgres` database, superuser `wavlake`, no password. */
  readonly url: string;
  /** Stops the server the way an operator's restart does (fast shutdown: sessions are cut). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it if running and deletes its data folder. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own, in a temp folder on a free port, that the test may
 * stop and start (the suite's shared server must stay up for every other test file).
 * Needs root: the server runs as the `postgres` user through `runuser`.
 *
 *   const pg = await startPrivatePostgres();
 *   ... DATABASE_URL = pg.url ...
 *   await pg.stop();  ...  await pg.start();
 *   await pg.destroy();
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(tmpdir(), 'wlk-private-pg-'));
  const dataDir = path.join(dir, 'data');
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  chownSync(dir, Number(uid), Number(gid));
  const asPostgres = (command: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]);

  await asPostgres('initdb', ['-D', dataDir, '-U', 'wavlake', '-A', 'trust', '--no-sync', '--no-instructions']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`;
  let running = false;
  const start = async () => {
    await asPostgres('pg_ctl', ['-D', dataDir, '-o', options, '-l', path.join(dir, 'server.log'), '-w', 'start']);
    running = true;
  };
  const stop = async () => {
    await asPostgres('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    running = false;
  };
  await start();
  return {
    url: `postgres://wavlake@127.0.0.1:${port}/postgres`,
    stop,
    start,
    destroy: async () => {
      if (running) await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

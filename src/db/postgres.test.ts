import { createServer, connect, type Server, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../testkit/postgres.js';
import type { Database } from './database.js';
import { openPostgresDatabase } from './postgres.js';

/** A TCP hop in front of the suite's PostgreSQL whose connections the test can cut, as a lost network would. */
async function cuttableProxy(target: URL): Promise<{ url: string; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(address.port);
  const cut = () => sockets.forEach((socket) => socket.destroy());
  return { url: url.toString(), cut, close: () => new Promise((resolve) => (cut(), server.close(() => resolve()))) };
}

describe('PostgreSQL connections', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let proxy: Awaited<ReturnType<typeof cuttableProxy>>;
  let database: Database;
  const reported: string[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    proxy = await cuttableProxy(new URL(scratch.url));
    database = openPostgresDatabase(proxy.url, (error) => reported.push(error.message));
  });
  afterAll(async () => {
    await database?.close();
    await proxy?.close();
    await scratch?.drop();
  });

  it('survive a connection lost in the middle of a query: the query fails, the next one works', async () => {
    const sleeping = sql`select pg_sleep(2)`.execute(database.db);
    await new Promise((resolve) => setTimeout(resolve, 300));
    proxy.cut();
    await expect(sleeping).rejects.toThrow('Connection terminated unexpectedly');
    expect(reported).toContain('Connection terminated unexpectedly');

    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    expect(rows).toEqual([{ one: 1 }]);
  });
});

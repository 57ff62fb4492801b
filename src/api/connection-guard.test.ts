import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { clientAddresses } from '../abuse/client-address.js';
import { guardConnections, openFilesLimit } from './connection-guard.js';

/** Log lines as parsed objects. */
function memoryLogger() {
  const lines: { level: number; msg: string; [field: string]: unknown }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('guardConnections', () => {
  let server: Server | undefined;
  const sockets: Socket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** A listening server guarded with `openFiles` as the process's limit, and a way to connect to it. */
  async function guarded(openFiles: number, { perAddress = 1000, trustProxy = [] as string[] } = {}) {
    const { logger, lines } = memoryLogger();
    server = createServer((_request, response) => response.end('ok'));
    guardConnections(server, { logger, addresses: clientAddresses(trustProxy), perAddress, openFilesLimit: openFiles });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    /** Resolves true when the server closes the connection within 300 ms. */
    const connectAndWatch = () =>
      new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        sockets.push(socket);
        socket.on('error', () => undefined);
        socket.once('close', () => resolve(true));
        setTimeout(() => resolve(false), 300);
      });
    return { lines, connectAndWatch };
  }

  it('keeps a quarter of the open-files limit (at least 128) for everything else, and logs what to do when it is reached', async () => {
    const { lines, connectAndWatch } = await guarded(140);
    expect(server?.maxConnections).toBe(12);
    const closed = await Promise.all(Array.from({ length: 12 }, connectAndWatch));
    expect(closed.every((wasClosed) => !wasClosed)).toBe(true);
    expect(await connectAndWatch()).toBe(true);
    await sleep(50);
    expect(lines.find((line) => line.msg.includes('ulimit -n'))).toMatchObject({ level: 40, openFilesLimit: 140, connections: 12 });
  });

  it('closes an address\'s connections past its limit, logging the setting, but never a trusted proxy\'s', async () => {
    const limited = await guarded(10_000, { perAddress: 2 });
    expect(await Promise.all([limited.connectAndWatch(), limited.connectAndWatch(), limited.connectAndWatch()])).toEqual([false, false, true]);
    expect(limited.lines.find((line) => line.msg.includes('RATE_LIMIT_HTTP_PER_ADDRESS'))).toMatchObject({ level: 40, limit: 2 });
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));

    const proxied = await guarded(10_000, { perAddress: 2, trustProxy: ['loopback'] });
    expect(await Promise.all([proxied.connectAndWatch(), proxied.connectAndWatch(), proxied.connectAndWatch()])).toEqual([false, false, false]);
  });

  it('reads the limit from /proc on Linux', () => {
    expect(openFilesLimit()).toBeGreaterThan(0);
  });
});

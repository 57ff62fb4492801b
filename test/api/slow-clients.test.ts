import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config/config.js';
import { rawExchange } from '../../testkit/raw-http.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

const TIMEOUT_SECONDS = 2;
/** The timeout, plus the check interval (a quarter of it), plus scheduling slack. */
const CUT_OFF_WITHIN_MS = TIMEOUT_SECONDS * 1000 * 1.25 + 1000;

/** Writes `first`, then one byte of `rest` every `everyMs` until the server hangs up. */
const trickle = (first: string, rest: string, everyMs = 300) => (socket: Socket) => {
  socket.write(first);
  let sent = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || sent >= rest.length) return clearInterval(timer);
    socket.write(rest.charAt(sent));
    sent += 1;
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the service logged, one JSON object a line. */
class LogLines extends Writable {
  readonly lines: { msg?: string; [field: string]: unknown }[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split('\n')) if (line) this.lines.push(JSON.parse(line) as { msg?: string });
    done();
  }
}

describe('HTTP requests have time limits', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { HTTP_REQUEST_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) } });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('defaults to 30 s for a whole request, applied to the HTTP server', () => {
    expect(loadConfig({}).httpRequestTimeoutMs).toBe(30_000);
    expect(loadConfig({}).httpConnectionsPerAddress).toBe(256);
    const http = server.app.http.server;
    expect([http.requestTimeout, http.headersTimeout]).toEqual([TIMEOUT_SECONDS * 1000, TIMEOUT_SECONDS * 1000]);
  });

  it('cuts off POST bodies trickling a byte at a time with 408 {error, message}, and keeps answering others', async () => {
    const body = JSON.stringify({ title: 'trickled', category: 'talk' });
    const head = `POST /api/v1/streams/create HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const trickling = Array.from({ length: 20 }, () => rawExchange(server.url, trickle(head, body), { waitMs: 15_000 }));
    await sleep(500);
    expect((await server.call('GET', '/healthz')).status).toBe(200);
    for (const answer of await Promise.all(trickling)) {
      expect(answer.closed).toBe(true);
      expect(answer.elapsedMs).toBeLessThan(CUT_OFF_WITHIN_MS);
      expect(answer.status).toBe(408);
      expect(JSON.parse(answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4))).toEqual({
        error: 'request_timeout',
        message: `The request did not arrive in full within ${TIMEOUT_SECONDS} s; send it again.`,
      });
    }
    expect((await server.call('GET', '/healthz')).status).toBe(200);
  });

  it('cuts off headers trickling a byte at a time, and connections that send nothing', async () => {
    const headers = rawExchange(server.url, trickle('GET /healthz HTTP/1.1\r\n', 'X-Slow: '.padEnd(200, 'x')), { waitMs: 15_000 });
    const silent = rawExchange(server.url, () => undefined, { waitMs: 15_000 });
    for (const answer of [await headers, await silent]) {
      expect(answer.closed).toBe(true);
      expect(answer.elapsedMs).toBeLessThan(CUT_OFF_WITHIN_MS);
    }
    expect((await headers).status).toBe(408);
  });

  it('does not cut off a WebSocket, which stays open past the request timeout', async () => {
    const socket = new WebSocket(server.url.replace('http://', 'ws://'));
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    await sleep(CUT_OFF_WITHIN_MS + 500);
    const answer = new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
    socket.send(JSON.stringify(['REQ', 'still-here', { kinds: [1], limit: 1 }]));
    expect(await answer).toEqual(['EOSE', 'still-here']);
    socket.close();
  });
});

describe('open HTTP connections per address', () => {
  const log = new LogLines();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { RATE_LIMIT_HTTP_PER_ADDRESS: '5' }, log });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  it('closes connections past the limit at once, logs what to do, and admits again when one closes', async () => {
    const held: Socket[] = [];
    const holders = Array.from({ length: 5 }, () => rawExchange(server.url, (socket) => held.push(socket), { waitMs: 10_000 }));
    await expect.poll(() => held.length).toBe(5);
    await sleep(200);
    const refused = await rawExchange(server.url, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', { waitMs: 3000 });
    expect(refused).toMatchObject({ closed: true, status: undefined });
    expect(log.lines.find((line) => line.msg?.includes('RATE_LIMIT_HTTP_PER_ADDRESS'))).toMatchObject({ level: 40, limit: 5 });
    held[0]?.destroy();
    await sleep(200);
    const admitted = await rawExchange(server.url, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(admitted.status).toBe(200);
    for (const socket of held) socket.destroy();
    await Promise.all(holders);
  });
});

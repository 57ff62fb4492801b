import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestUser } from '../../testkit/nostr.js';
import { rawExchange } from '../../testkit/raw-http.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

const SLOTS = 3;

/** An upgrade request for `path` with the given extra header lines. */
const upgrade = (path: string, ...lines: string[]) =>
  [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Upgrade: websocket', 'Connection: Upgrade', ...lines, '', ''].join('\r\n');
const GOOD_HEADERS = ['Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='];

/**
 * Each open WebSocket holds one of its address's slots (RATE_LIMIT_WS_PER_ADDRESS). An upgrade
 * that never becomes a WebSocket (refused by the handshake, or abandoned by the client) must
 * give its slot back, or a few bad requests lock the address out until a restart.
 */
describe('WebSocket slots of refused and abandoned upgrades', () => {
  let server: TestServer;
  let feedPath: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite', { env: { RATE_LIMIT_WS_PER_ADDRESS: String(SLOTS) } });
    const created = await server.call<{ stream_id: string }>('POST', '/api/v1/streams/create', {
      as: new TestUser(),
      json: { title: 'Slots', category: 'talk' },
    });
    feedPath = `/api/v1/streams/${created.body.stream_id}/ws`;
  });
  afterAll(async () => {
    await server?.destroy();
  });

  const open = (path: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`${server.url.replace('http://', 'ws://')}${path}`);
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });

  it.each([
    ['the relay', () => '/'],
    ['the real-time feed', () => feedPath],
  ])('gives back the slots of 20 bad upgrades to %s, then admits good connections up to the limit', async (_name, pathOf) => {
    const path = pathOf();
    for (let i = 0; i < 5; i += 1) {
      // No key, a key of the wrong length, an unsupported version: the handshake refuses each with 400.
      expect((await rawExchange(server.url, upgrade(path, 'Sec-WebSocket-Version: 13'))).status).toBe(400);
      expect((await rawExchange(server.url, upgrade(path, 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: c2hvcnQ='))).status).toBe(400);
      expect((await rawExchange(server.url, upgrade(path, 'Sec-WebSocket-Version: 12', GOOD_HEADERS[1] ?? ''))).status).toBe(400);
      // A client that hangs up before the handshake is answered.
      await rawExchange(server.url, (socket) => socket.end(upgrade(path, ...GOOD_HEADERS)));
    }
    // Once a refused socket has closed, its slot is free again.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sockets = await Promise.all(Array.from({ length: SLOTS }, () => open(path)));
    // The limit itself still holds.
    await expect(open(path)).rejects.toThrow(/429/);
    for (const socket of sockets) socket.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
});

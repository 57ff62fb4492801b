import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { SHUTDOWN_DRAIN_MS } from '../../src/api/http-shutdown.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

describe('shutdown', () => {
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.destroy();
  });

  it('cuts a request still in flight after the drain time instead of waiting for it for good', { timeout: 30_000 }, async () => {
    // The default 30 s request timeout would hold the request open far longer than the drain.
    server = await startTestServer('sqlite');
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    const cut = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // Headers and the start of a body that never finishes: an active request, not an idle connection.
    socket.write('POST /api/v1/streams/create HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"ti');
    await new Promise((resolve) => setTimeout(resolve, 300));

    const started = Date.now();
    await server.stop();
    const took = Date.now() - started;
    await cut;
    expect(took).toBeGreaterThanOrEqual(SHUTDOWN_DRAIN_MS - 100);
    expect(took).toBeLessThan(SHUTDOWN_DRAIN_MS + 5_000);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runningService, type RunningService } from '../../testkit/service-process.js';

const UPGRADE_HEADERS = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13';

/** Asks for a WebSocket upgrade and resets the connection (TCP RST) before the answer comes. */
function upgradeAndReset(port: number, target: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${UPGRADE_HEADERS}\r\n\r\n`);
      setImmediate(() => {
        socket.resetAndDestroy();
        resolve();
      });
    });
    socket.on('error', () => resolve());
  });
}

/**
 * Node's HTTP server stops listening for a socket's errors once it hands it over as an
 * upgrade: a client resetting it while it is refused (an unknown path, a stream that does
 * not exist) used to be an unhandled 'error' that ended the process.
 */
describe('WebSocket upgrades reset by the client', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-upgrades-'));
  let service: RunningService | undefined;
  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('do not take the service down', { timeout: 60_000 }, async () => {
    service = await runningService(dataDir);
    const port = Number(new URL(service.url).port);
    const targets = ['/no-such-path', '/api/v1/streams/00000000-0000-0000-0000-000000000000/ws', '/'];
    for (let i = 0; i < 300; i += 1) await upgradeAndReset(port, targets[i % targets.length] ?? '/');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(service.child.exitCode, (await Promise.race([service.exited, Promise.resolve(undefined)]))?.stderr).toBeNull();
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });
});

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config/config.js';
import { SERVICE_KEY_FILE } from '../../src/identity/service-key.js';
import { SQLITE_FILE_NAME } from '../../src/db/sqlite.js';
import { launch, runningService as runningAt } from '../../testkit/service-process.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-process-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const runningService = () => runningAt(dataDir);

describe('the service process', () => {
  it('--help lists every setting of the contract', async () => {
    const { exited } = launch({}, ['--help']);
    const { code, stdout } = await exited;
    expect(code).toBe(0);
    for (const name of ['PORT', 'RTMP_PORT', 'DATA_DIR', 'PUBLIC_URL', 'RELAYS', 'DATABASE_URL', 'REDIS_URL', 'FFMPEG_PATH']) {
      expect(stdout).toContain(name);
    }
    for (const { name } of SETTINGS) expect(stdout).toContain(name);
  });

  it.each([
    ['PORT', 'abc'],
    ['RTMP_PORT', '99999'],
    ['PUBLIC_URL', 'not a url'],
    ['RELAYS', 'https://relay.example'],
    ['DATABASE_URL', 'mysql://db'],
    ['FFMPEG_PATH', '/nonexistent/ffmpeg'],
    // A folder under a file can never be created, even by root.
    ['DATA_DIR', '/etc/hostname/data'],
  ])('stops at start-up on a bad %s with a sentence naming it', async (name, value) => {
    const { exited } = launch({ DATA_DIR: dataDir, [name]: value });
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toContain(`Invalid setting ${name}=`);
  });

  it('creates its key pair on first start (mode 0600) and keeps it across restarts', async () => {
    const first = await runningService();
    const info1 = (await (await fetch(`${first.url}/api/v1/info`)).json()) as { pubkey: string };
    const keyFile = path.join(dataDir, SERVICE_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = await runningService();
    const info2 = (await (await fetch(`${second.url}/api/v1/info`)).json()) as { pubkey: string };
    expect(info2.pubkey).toBe(info1.pubkey);
    expect(info2.pubkey).toMatch(/^[0-9a-f]{64}$/);
    second.child.kill('SIGTERM');
    await second.exited;
  });

  it('on SIGTERM finishes the request in flight, then closes the database and exits 0', async () => {
    const { url, child, exited } = await runningService();
    const body = JSON.stringify({ name: 'wlk_live_00000000000000000000000000000001' });
    // A request whose body is still arriving when the signal comes in.
    const answer = new Promise<number>((resolve, reject) => {
      const req = request(
        `${url}/api/v1/streams/auth`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 200);
    });
    expect(await answer).toBe(403);
    const { code, stdout } = await exited;
    expect(code).toBe(0);
    expect(stdout).toContain('stopped cleanly');
    // better-sqlite3 checkpoints and removes the write-ahead log on a clean close.
    expect(existsSync(path.join(dataDir, `${SQLITE_FILE_NAME}-wal`))).toBe(false);
  });
});

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestUser } from '../../testkit/nostr.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually, goLiveWithTestPattern, statusOf } from '../../testkit/streams.js';

const lastSegment = (playlist: string) => Number(/seg_(\d+)\.m4s(?![\s\S]*seg_)/.exec(playlist)?.[1] ?? -1);

/** Writes zeros until the file system says it is full. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(1024 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOSPC')) throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * The data folder on a 64 MB tmpfs that the test fills while a stream is live: the API says
 * so with 503 storage_full and the log names the cause, players never get an empty
 * playlist, and all of it recovers once the space is back.
 */
describe('a full disk', () => {
  const mountPoint = mkdtempSync(path.join(tmpdir(), 'wlk-full-'));
  const filler = path.join(mountPoint, 'filler');
  const alice = new TestUser();
  let server: TestServer;
  let log = '';
  let mounted = false;

  beforeAll(async () => {
    if (process.getuid?.() !== 0) {
      throw new Error('This test mounts a 64 MB tmpfs as DATA_DIR and must run as root (CI does): run it with sudo.');
    }
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mountPoint], { encoding: 'utf8' });
    if (mount.status !== 0) throw new Error(`mounting a tmpfs at ${mountPoint} failed: ${mount.stderr}`);
    mounted = true;
    const logSink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log += chunk.toString();
        done();
      },
    });
    server = await startTestServer('sqlite', { env: { DATA_DIR: mountPoint }, log: logSink });
  });
  afterAll(async () => {
    await server?.destroy();
    if (mounted) spawnSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('answers 503 storage_full, never serves an empty playlist, logs the cause, and recovers', { timeout: 120_000 }, async () => {
    const stream = await createStream(server, alice, { quality: '360p', record: false });
    const publisher = await goLiveWithTestPattern(server, alice, stream, { seconds: 120, size: '640x360' });
    try {
      const playlistUrl = `${server.url}/hls/${stream.stream_id}/360p/index.m3u8`;
      const playlist = async () => (await fetch(playlistUrl)).text();
      await eventually('segments', async () => (lastSegment(await playlist()) >= 1 ? true : undefined));

      fill(filler);
      const refused = await server.call<{ error: string; message: string }>('POST', '/api/v1/streams/create', {
        as: alice,
        json: { title: 'While full', category: 'tech', quality: '360p' },
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('30');
      expect(refused.body).toEqual({ error: 'storage_full', message: expect.stringContaining('disk is full') });
      expect(log).toContain('free space in DATA_DIR');
      expect(log).not.toContain('cannot rollback');

      // ffmpeg renames playlists it could not write: players get the last whole one, or a 503 to retry.
      for (let i = 0; i < 12; i += 1) {
        const response = await fetch(playlistUrl);
        const text = await response.text();
        if (response.status === 200) expect(text, 'a 200 playlist').toMatch(/^#EXTM3U[\s\S]*(seg_\d+\.m4s|#EXT-X-PART:)/);
        else expect(response.headers.get('retry-after')).not.toBeNull();
        await sleep(500);
      }
      const whileFull = lastSegment(await playlist());

      rmSync(filler);
      await eventually('owner calls to work again', async () => {
        const again = await server.call('PATCH', `/api/v1/streams/${stream.stream_id}`, { as: alice, json: { title: 'Space is back' } });
        return again.status === 200 ? true : undefined;
      });
      await eventually('the playlist to move on', async () => (lastSegment(await playlist()) >= whileFull + 3 ? true : undefined), 30_000);
      expect((await statusOf(server, alice, stream.stream_id)).status).toBe('live');
    } finally {
      publisher.child.kill('SIGKILL');
    }
  });
});

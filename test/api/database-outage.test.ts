import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StreamStatus } from '../../src/streams/lifecycle.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { createStream, eventually, goLiveWithTestPattern, ingestUrl, type Created } from '../../testkit/streams.js';
import { TestUser } from '../../testkit/nostr.js';
import { startPrivatePostgres, type PrivatePostgres } from '../../testkit/private-postgres.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

const GRACE_SECONDS = 6;

interface StoredStatus {
  status: StreamStatus;
  ended_at: number | null;
  status_reason: string | null;
}

const lastSegment = (playlist: string) => Number(/seg_(\d+)\.m4s(?![\s\S]*seg_)/.exec(playlist)?.[1] ?? -1);

/**
 * PostgreSQL stopped under a live stream (a private server this file starts and stops):
 * the encoder's drop, its reconnect and the grace period's end are stored once the database
 * is back, HLS keeps playing from the last known stream state, and the API answers 503.
 */
describe('a PostgreSQL outage under a live stream', () => {
  let postgres: PrivatePostgres;
  let server: TestServer;
  let logged = '';
  const log = new PassThrough();
  log.on('data', (chunk: Buffer) => (logged += chunk.toString()));
  const alice = new TestUser();
  const encoders: ReturnType<typeof pushTestPattern>[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    server = await startTestServer('sqlite', {
      log,
      env: { DATABASE_URL: postgres.url, RECONNECT_GRACE_SECONDS: String(GRACE_SECONDS) },
    });
    process.on('unhandledRejection', onUnhandled);
  }, 60_000);
  beforeEach(() => {
    logged = '';
  });
  afterEach(async () => {
    for (const { child } of encoders.splice(0)) child.kill('SIGKILL');
    // Each test leaves the database up, whatever it asserted.
    await postgres.start().catch(() => undefined);
    expect(unhandled).toEqual([]);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server?.destroy();
    await postgres?.destroy();
  });

  /** The row as PostgreSQL has it, read past the service; undefined while the server is down. */
  async function stored(id: string): Promise<StoredStatus | undefined> {
    const client = new pg.Client({ connectionString: postgres.url });
    try {
      await client.connect();
      const { rows } = await client.query<StoredStatus>(
        // int8 arrives as a string from a plain client.
        'select status, ended_at::float8 as ended_at, status_reason from streams where id = $1',
        [id],
      );
      return rows[0];
    } catch {
      return undefined;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  const playlist = (id: string) => fetch(`${server.url}/hls/${id}/360p/index.m3u8`);

  async function liveWithEncoder(): Promise<Created> {
    const stream = await createStream(server, alice, { quality: '360p', record: false });
    encoders.push(await goLiveWithTestPattern(server, alice, stream, { seconds: 120, size: '640x360' }));
    await eventually('segments', async () => (lastSegment(await (await playlist(stream.stream_id)).text()) >= 1 ? true : undefined), 30_000);
    return stream;
  }

  function statusChanges(id: string): [StreamStatus, StreamStatus][] {
    const changes: [StreamStatus, StreamStatus][] = [];
    server.app.streams.on('status', ({ stream, from }) => {
      if (stream.id === id) changes.push([from, stream.status]);
    });
    return changes;
  }

  /** Waits for the stored end, then checks it came through the drop and the grace period's expiry. */
  async function endedByGrace(id: string, changes: [StreamStatus, StreamStatus][]): Promise<StoredStatus> {
    const ended = await eventually('the end to be stored', async () => {
      const row = await stored(id);
      return row?.status === 'ended' ? row : undefined;
    });
    expect(changes).toEqual([
      ['live', 'reconnecting'],
      ['reconnecting', 'ended'],
    ]);
    expect(ended.status_reason).toMatch(/did not reconnect/);
    return ended;
  }

  /** The encoder is killed (no RTMP goodbye) and the service has seen its connection close. */
  async function killEncoder(): Promise<number> {
    const encoder = encoders.pop();
    encoder?.child.kill('SIGKILL');
    await encoder?.exited;
    await sleep(500);
    return Date.now() / 1000;
  }

  it('stores the encoder drop once the database is back, then ends the stream after the grace period', { timeout: 90_000 }, async () => {
    const stream = await liveWithEncoder();
    const changes = statusChanges(stream.stream_id);
    await postgres.stop();
    const droppedAt = await killEncoder();

    // HLS plays on from the last known stream state, past the cache's one-second memory.
    for (let i = 0; i < 3; i += 1) {
      expect((await fetch(`${server.url}/hls/${stream.stream_id}/master.m3u8`)).status).toBe(200);
      expect((await playlist(stream.stream_id)).status).toBe(200);
      await sleep(600);
    }
    // What needs the database says so, and when to try again.
    const status = await server.call<{ error: string; message: string }>('GET', `/api/v1/streams/${stream.stream_id}/status`, { as: alice });
    expect(status.status).toBe(503);
    expect(status.body.error).toBe('database_unavailable');
    expect(status.body.message).toMatch(/database/i);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^wavlake_database_up 0$/m);
    expect(metrics).toMatch(/^wavlake_pending_status_changes 1$/m);
    expect(logged).toMatch(/database is unreachable/i);

    await postgres.start();
    // Each change is announced once stored.
    await eventually('the drop to be stored', async () => (changes.length > 0 ? true : undefined));
    expect(changes[0]).toEqual(['live', 'reconnecting']);
    const ended = await endedByGrace(stream.stream_id, changes);
    // The grace period ran from the drop, not from the database's return.
    expect(ended.ended_at ?? 0).toBeGreaterThanOrEqual(Math.floor(droppedAt) + GRACE_SECONDS - 1);
    expect(ended.ended_at ?? 0).toBeLessThanOrEqual(Math.ceil(droppedAt) + GRACE_SECONDS + 2);
    // The pool is back: API calls work again.
    expect((await server.call('GET', `/api/v1/streams/${stream.stream_id}/status`, { as: alice })).status).toBe(200);
    expect((await fetch(`${server.url}/metrics`).then((response) => response.text()))).toMatch(/^wavlake_pending_status_changes 0$/m);
  });

  it('accepts the encoder that reconnects during the outage, and stores the drop and the return', { timeout: 90_000 }, async () => {
    const stream = await liveWithEncoder();
    const changes = statusChanges(stream.stream_id);
    await postgres.stop();
    await killEncoder();

    const before = lastSegment(await (await playlist(stream.stream_id)).text());
    const encoder = pushTestPattern(ingestUrl(server, stream.stream_key), { seconds: 120, size: '640x360' });
    encoders.push(encoder);
    await eventually('new segments from the reconnected encoder', async () =>
      lastSegment(await (await playlist(stream.stream_id)).text()) >= before + 2 ? true : undefined,
    30_000);
    expect(encoder.child.exitCode).toBeNull();

    await postgres.start();
    await eventually('the drop and the return to be stored', async () =>
      changes.some(([from, to]) => from === 'reconnecting' && to === 'live') ? true : undefined,
    );
    expect(changes).toEqual([
      ['live', 'reconnecting'],
      ['reconnecting', 'live'],
    ]);
    // Past the grace period the stream is still live: the reconnect counted.
    await sleep((GRACE_SECONDS + 1) * 1000);
    expect((await stored(stream.stream_id))?.status).toBe('live');
    expect(encoder.child.exitCode).toBeNull();
    expect(logged).not.toMatch(/already publishing/i);
    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice })).status).toBe(200);
  });

  it('acts on a grace period that expired during the outage once the database is back', { timeout: 90_000 }, async () => {
    const stream = await liveWithEncoder();
    const changes = statusChanges(stream.stream_id);
    await postgres.stop();
    const droppedAt = await killEncoder();
    await sleep((GRACE_SECONDS + 2) * 1000);
    expect((await playlist(stream.stream_id)).status).toBe(200);

    await postgres.start();
    const ended = await endedByGrace(stream.stream_id, changes);
    // It ended when the grace period did, which was during the outage.
    expect(ended.ended_at ?? 0).toBeLessThanOrEqual(Math.ceil(droppedAt) + GRACE_SECONDS + 1);
    expect((await server.call('GET', `/api/v1/streams/${stream.stream_id}/status`, { as: alice })).status).toBe(200);
  });
});

import { once } from 'node:events';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openScratch, type ScratchService } from '../../testkit/scratch.js';
import type { Database } from '../db/database.js';
import { createStreamRequestSchema, type CreateStreamRequest } from '../protocol/stream-settings.js';
import { StreamError } from './errors.js';
import type { StreamStatus } from './lifecycle.js';
import { generateStreamKey, hashStreamKey } from './stream-keys.js';
import { StreamRepository } from './stream-repository.js';
import { StreamService, type StatusChange, type StreamUrls } from './stream-service.js';
import type { Stream } from './stream.js';

const ALICE = 'a'.repeat(64);
const BOB = 'b'.repeat(64);

const urls: StreamUrls = {
  rtmpIngest: 'rtmp://127.0.0.1:1935/live',
  hlsPlayback: (id) => `http://localhost:8080/hls/${id}/master.m3u8`,
};

const settings = (request: Partial<CreateStreamRequest> = {}) =>
  createStreamRequestSchema.parse({ title: 'Acoustic session', category: 'music', tags: ['Acoustic'], ...request });

/** Runs `work` expecting a StreamError and answers it. */
async function streamError(work: Promise<unknown>): Promise<StreamError> {
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(StreamError);
    return error as StreamError;
  }
  throw new Error('expected a StreamError');
}

let scratch: ScratchService;
let database: Database;
let repository: StreamRepository;
let service: StreamService;

function newService(reconnectGraceMs: number): StreamService {
  service.close();
  service = new StreamService(repository, urls, { reconnectGraceMs, logger: pino({ level: 'silent' }) });
  return service;
}

/** The 'status' events the service emits, as [from, to] pairs. */
function recordStatuses(target: StreamService): [StreamStatus, StreamStatus][] {
  const changes: [StreamStatus, StreamStatus][] = [];
  target.on('status', ({ stream, from }) => changes.push([from, stream.status]));
  return changes;
}

async function liveStream(pubkey = ALICE, request: Partial<CreateStreamRequest> = {}): Promise<Stream> {
  const { stream } = await service.create(pubkey, settings(request));
  await service.encoderConnected(stream.id);
  return service.start(stream.id, pubkey);
}

beforeEach(async () => {
  scratch = await openScratch();
  ({ database } = scratch);
  repository = new StreamRepository(database.db);
  service = new StreamService(repository, urls, { reconnectGraceMs: 60_000, logger: pino({ level: 'silent' }) });
});

afterEach(async () => {
  vi.useRealTimers();
  service.close();
  await scratch.close();
});

describe('StreamService.create', () => {
  it('answers the stream and a well-formed key, and stores only the key hash', async () => {
    const { stream, streamKey } = await service.create(ALICE, settings({ visibility: 'private', quality: '360p' }));
    expect(streamKey).toMatch(/^wlk_live_[0-9a-f]{32}$/);
    expect(stream).toMatchObject({
      pubkey: ALICE,
      title: 'Acoustic session',
      category: 'music',
      tags: ['acoustic'],
      visibility: 'private',
      quality: '360p',
      status: 'created',
      rtmpIngestUrl: urls.rtmpIngest,
      hlsPlaybackUrl: urls.hlsPlayback(stream.id),
      startedAt: null,
      paused: false,
    });

    const row = await database.db.selectFrom('streams').selectAll().where('id', '=', stream.id).executeTakeFirstOrThrow();
    expect(row.stream_key_hash).toBe(hashStreamKey(streamKey));
    const secret = streamKey.slice('wlk_live_'.length);
    for (const value of Object.values(row)) expect(String(value)).not.toContain(secret);
    expect(await service.get(stream.id)).toEqual(stream);
  });

  it("emits 'created' with the stored stream", async () => {
    const created = once(service, 'created');
    const { stream } = await service.create(ALICE, settings());
    const [emitted] = (await created) as [Stream];
    expect(emitted).toEqual(stream);
  });

  it('gives every stream its own id and key', async () => {
    const first = await service.create(ALICE, settings());
    const second = await service.create(ALICE, settings());
    expect(first.stream.id).not.toBe(second.stream.id);
    expect(first.streamKey).not.toBe(second.streamKey);
  });
});

describe('StreamService.authorizePublish', () => {
  it('accepts the current key of the stream', async () => {
    const { stream, streamKey } = await service.create(ALICE, settings());
    const authorization = await service.authorizePublish(streamKey);
    expect(authorization.ok).toBe(true);
    if (authorization.ok) expect(authorization.stream.id).toBe(stream.id);
  });

  it.each([
    ['a well-formed key nobody holds', () => generateStreamKey()],
    ['a malformed key', () => 'not-a-key'],
    ['an empty key', () => ''],
  ])('refuses %s as unknown_key', async (_label, key) => {
    await service.create(ALICE, settings());
    expect(await service.authorizePublish(key())).toEqual({ ok: false, reason: 'unknown_key' });
  });

  it('refuses a key regenerated away, and accepts the new one', async () => {
    const { stream, streamKey: oldKey } = await service.create(ALICE, settings());
    const { streamKey: newKey } = await service.regenerateKey(stream.id, ALICE);
    expect(newKey).not.toBe(oldKey);
    expect(await service.authorizePublish(oldKey)).toEqual({ ok: false, reason: 'unknown_key' });
    expect((await service.authorizePublish(newKey)).ok).toBe(true);
  });

  it("refuses an ended stream's key as stream_ended", async () => {
    const { stream, streamKey } = await service.create(ALICE, settings());
    await service.stop(stream.id, ALICE);
    expect(await service.authorizePublish(streamKey)).toEqual({ ok: false, reason: 'stream_ended' });
  });

  it('lets only the owner regenerate, and not after the end', async () => {
    const { stream } = await service.create(ALICE, settings());
    expect((await streamError(service.regenerateKey(stream.id, BOB))).kind).toBe('forbidden');
    await service.stop(stream.id, ALICE);
    const error = await streamError(service.regenerateKey(stream.id, ALICE));
    expect([error.kind, error.code]).toEqual(['conflict', 'stream_ended']);
  });
});

describe('StreamService lifecycle', () => {
  it('refuses start without an encoder: conflict no_encoder', async () => {
    const { stream } = await service.create(ALICE, settings());
    const error = await streamError(service.start(stream.id, ALICE));
    expect(error.kind).toBe('conflict');
    expect(error.code).toBe('no_encoder');
    expect((await service.get(stream.id)).status).toBe('created');
  });

  it("walks connected → live → reconnecting → live → ended, emitting 'status' with from", async () => {
    const changes = recordStatuses(service);
    const { stream } = await service.create(ALICE, settings());

    expect((await service.encoderConnected(stream.id)).status).toBe('connected');
    const live = await service.start(stream.id, ALICE);
    expect(live.status).toBe('live');
    expect(live.startedAt).toEqual(expect.any(Number));
    expect((await service.encoderDisconnected(stream.id)).status).toBe('reconnecting');
    expect((await service.encoderConnected(stream.id)).status).toBe('live');
    const ended = await service.stop(stream.id, ALICE);

    expect(ended).toMatchObject({ status: 'ended', statusReason: 'stopped by the streamer', paused: false });
    expect(ended.endedAt).toEqual(expect.any(Number));
    expect(changes).toEqual([
      ['created', 'connected'],
      ['connected', 'live'],
      ['live', 'reconnecting'],
      ['reconnecting', 'live'],
      ['live', 'ended'],
    ]);
  });

  it('emits the stream as stored with each status change', async () => {
    const { stream } = await service.create(ALICE, settings());
    const emitted = once(service, 'status');
    const connected = await service.encoderConnected(stream.id);
    const [change] = (await emitted) as [StatusChange];
    expect(change).toEqual({ stream: connected, from: 'created' });
  });

  it('emits nothing for an event that leaves the status as it is', async () => {
    const { stream } = await service.create(ALICE, settings());
    const changes = recordStatuses(service);
    expect((await service.encoderDisconnected(stream.id)).status).toBe('created');
    expect(changes).toEqual([]);
  });

  it('drops back to created when the encoder leaves before start', async () => {
    const { stream } = await service.create(ALICE, settings());
    await service.encoderConnected(stream.id);
    expect((await service.encoderDisconnected(stream.id)).status).toBe('created');
  });

  it('refuses a second encoder on a live stream', async () => {
    const stream = await liveStream();
    const error = await streamError(service.encoderConnected(stream.id));
    expect([error.kind, error.code]).toEqual(['conflict', 'already_publishing']);
  });

  it('refuses to stop twice', async () => {
    const stream = await liveStream();
    await service.stop(stream.id, ALICE);
    const error = await streamError(service.stop(stream.id, ALICE));
    expect([error.kind, error.code]).toEqual(['conflict', 'stream_ended']);
  });

  it('answers not_found for an unknown stream', async () => {
    const error = await streamError(service.start('00000000-0000-4000-8000-000000000000', ALICE));
    expect([error.kind, error.code]).toEqual(['not_found', 'stream_not_found']);
  });

  it.each(['start', 'stop'] as const)('refuses %s by someone who is not the owner: forbidden', async (action) => {
    const { stream } = await service.create(ALICE, settings());
    await service.encoderConnected(stream.id);
    const changes = recordStatuses(service);
    const error = await streamError(service[action](stream.id, BOB));
    expect([error.kind, error.code]).toEqual(['forbidden', 'not_owner']);
    expect((await service.get(stream.id)).status).toBe('connected');
    expect(changes).toEqual([]);
  });
});

describe('StreamService reconnect grace period', () => {
  it('ends a reconnecting stream when the encoder does not come back, with a reason', async () => {
    const quick = newService(50);
    const stream = await liveStream();
    const changes = recordStatuses(quick);
    const ended = new Promise<StatusChange>((resolve) => {
      quick.on('status', (change) => {
        if (change.stream.status === 'ended') resolve(change);
      });
    });
    await quick.encoderDisconnected(stream.id);

    const change = await ended;
    expect(change.from).toBe('reconnecting');
    expect(change.stream.statusReason).toMatch(/^the encoder did not reconnect within \d+ s$/);
    expect(change.stream.endedAt).toEqual(expect.any(Number));
    expect(changes).toEqual([
      ['live', 'reconnecting'],
      ['reconnecting', 'ended'],
    ]);
    expect((await quick.get(stream.id)).status).toBe('ended');
  });

  it('names the configured grace in seconds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    newService(30_000);
    const stream = await liveStream();
    await service.encoderDisconnected(stream.id);
    const ended = once(service, 'status');
    await vi.advanceTimersByTimeAsync(30_000);
    const [change] = (await ended) as [StatusChange];
    expect(change.stream.status).toBe('ended');
    expect(change.stream.statusReason).toBe('the encoder did not reconnect within 30 s');
  });

  it('keeps the stream live when the encoder is back in time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    newService(60_000);
    const stream = await liveStream();
    await service.encoderDisconnected(stream.id);
    await vi.advanceTimersByTimeAsync(30_000);
    expect((await service.encoderConnected(stream.id)).status).toBe('live');
    const changes = recordStatuses(service);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(changes).toEqual([]);
    expect((await service.get(stream.id)).status).toBe('live');
  });

  it('restarts the grace period on each drop: an earlier drop does not end the stream early', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    newService(60_000);
    const stream = await liveStream();
    await service.encoderDisconnected(stream.id); // t = 0
    await vi.advanceTimersByTimeAsync(30_000);
    await service.encoderConnected(stream.id); // t = 30 s
    await vi.advanceTimersByTimeAsync(20_000);
    await service.encoderDisconnected(stream.id); // t = 50 s: the grace now runs to 110 s
    await vi.advanceTimersByTimeAsync(40_000); // t = 90 s: past the first drop's 60 s
    expect((await service.get(stream.id)).status).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(20_000); // t = 110 s
    expect((await service.get(stream.id)).status).toBe('ended');
  });

  it('stops waiting once the service is closed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    newService(60_000);
    const stream = await liveStream();
    await service.encoderDisconnected(stream.id);
    service.close();
    await vi.advanceTimersByTimeAsync(120_000);
    expect((await service.get(stream.id)).status).toBe('reconnecting');
  });
});

describe('StreamService.setPaused', () => {
  it.each([
    ['created', async () => (await service.create(ALICE, settings())).stream],
    [
      'connected',
      async () => {
        const { stream } = await service.create(ALICE, settings());
        return service.encoderConnected(stream.id);
      },
    ],
    [
      'ended',
      async () => {
        const stream = await liveStream();
        return service.stop(stream.id, ALICE);
      },
    ],
  ])('refuses to pause a %s stream: conflict not_live', async (_status, make) => {
    const stream = await make();
    const error = await streamError(service.setPaused(stream.id, ALICE, true));
    expect([error.kind, error.code]).toEqual(['conflict', 'not_live']);
    expect((await service.get(stream.id)).paused).toBe(false);
  });

  it("pauses and resumes a live stream, emitting 'paused'", async () => {
    const stream = await liveStream();
    const events: boolean[] = [];
    service.on('paused', (changed) => events.push(changed.paused));
    expect((await service.setPaused(stream.id, ALICE, true)).paused).toBe(true);
    expect((await service.get(stream.id)).paused).toBe(true);
    expect((await service.setPaused(stream.id, ALICE, false)).paused).toBe(false);
    expect(events).toEqual([true, false]);
  });

  it('does nothing (and emits nothing) when the stream is already in that state', async () => {
    const stream = await liveStream();
    const events: boolean[] = [];
    service.on('paused', (changed) => events.push(changed.paused));
    expect((await service.setPaused(stream.id, ALICE, false)).paused).toBe(false);
    expect(events).toEqual([]);
  });

  it('refuses someone who is not the owner', async () => {
    const stream = await liveStream();
    expect((await streamError(service.setPaused(stream.id, BOB, true))).kind).toBe('forbidden');
  });

  it('clears the pause when the stream stops', async () => {
    const stream = await liveStream();
    await service.setPaused(stream.id, ALICE, true);
    expect((await service.stop(stream.id, ALICE)).paused).toBe(false);
  });
});

describe('StreamService.failed', () => {
  it('moves the stream to error with the reason', async () => {
    const stream = await liveStream();
    const changes = recordStatuses(service);
    const failed = await service.failed(stream.id, 'ffmpeg exited 4 times within a minute');
    expect(failed).toMatchObject({ status: 'error', statusReason: 'ffmpeg exited 4 times within a minute', paused: false });
    expect(await service.get(stream.id)).toMatchObject({ status: 'error', statusReason: 'ffmpeg exited 4 times within a minute' });
    expect(changes).toEqual([['live', 'error']]);
  });

  it('sets the end time, so the duration stops growing, and clears it when the encoder is back', async () => {
    vi.useFakeTimers({ now: Date.UTC(2025, 0, 1, 12), toFake: ['Date'] });
    const stream = await liveStream();
    vi.setSystemTime(Date.UTC(2025, 0, 1, 12, 5));
    expect((await service.failed(stream.id, 'transcoder gave up')).endedAt).toBe(Date.UTC(2025, 0, 1, 12, 5) / 1000);
    expect((await service.encoderConnected(stream.id)).endedAt).toBeNull();
  });

  it('leaves an ended stream ended', async () => {
    const stream = await liveStream();
    await service.stop(stream.id, ALICE);
    expect((await service.failed(stream.id, 'late failure')).status).toBe('ended');
    expect((await service.get(stream.id)).statusReason).toBe('stopped by the streamer');
  });

  it('clears the reason when the encoder connects again', async () => {
    const stream = await liveStream();
    await service.failed(stream.id, 'transcoder gave up');
    expect(await service.encoderConnected(stream.id)).toMatchObject({ status: 'connected', statusReason: null });
  });
});

describe('StreamService.recordingReady', () => {
  it("stores the recording's URL and announces the stream as updated", async () => {
    const stream = await liveStream();
    await service.stop(stream.id, ALICE);
    const updated = once(service, 'updated');
    await service.recordingReady(stream.id, 'http://localhost:8080/vod/x/index.m3u8');
    const [emitted] = (await updated) as [Stream];
    expect(emitted).toMatchObject({ status: 'ended', recordingUrl: 'http://localhost:8080/vod/x/index.m3u8' });
  });
});

describe('StreamService listings', () => {
  it('listWatchable shows public live and reconnecting streams only', async () => {
    const live = await liveStream(ALICE, { title: 'live' });
    const reconnecting = await liveStream(BOB, { title: 'reconnecting' });
    await service.encoderDisconnected(reconnecting.id);
    await liveStream(ALICE, { title: 'private', visibility: 'private' });
    const { stream: connected } = await service.create(ALICE, settings({ title: 'connected' }));
    await service.encoderConnected(connected.id);
    await service.create(ALICE, settings({ title: 'created' }));
    const ended = await liveStream(BOB, { title: 'ended' });
    await service.stop(ended.id, BOB);
    const errored = await liveStream(BOB, { title: 'error' });
    await service.failed(errored.id, 'boom');

    const page = await service.listWatchable({}, { limit: 50, offset: 0 });
    expect(page.total).toBe(2);
    expect(page.streams.map((stream) => stream.id).sort()).toEqual([live.id, reconnecting.id].sort());
  });

  it('listWatchable filters by category and tag', async () => {
    const music = await liveStream(ALICE, { category: 'music', tags: ['jazz'] });
    await liveStream(BOB, { category: 'gaming', tags: ['jazz'] });
    const byCategory = await service.listWatchable({ category: 'music' }, { limit: 50, offset: 0 });
    expect(byCategory.streams.map((stream) => stream.id)).toEqual([music.id]);
    const byTag = await service.listWatchable({ tag: 'jazz' }, { limit: 50, offset: 0 });
    expect(byTag.total).toBe(2);
  });

  it('listByUser shows private streams to their owner only', async () => {
    const { stream: open } = await service.create(ALICE, settings({ visibility: 'public' }));
    const { stream: hidden } = await service.create(ALICE, settings({ visibility: 'private' }));
    await service.create(BOB, settings());

    const asOwner = await service.listByUser(ALICE, true, { limit: 50, offset: 0 });
    expect(asOwner.total).toBe(2);
    expect(asOwner.streams.map((stream) => stream.id).sort()).toEqual([open.id, hidden.id].sort());

    const asOther = await service.listByUser(ALICE, false, { limit: 50, offset: 0 });
    expect(asOther.total).toBe(1);
    expect(asOther.streams.map((stream) => stream.id)).toEqual([open.id]);
  });

  it('listByUser includes ended streams', async () => {
    const stream = await liveStream();
    await service.stop(stream.id, ALICE);
    const page = await service.listByUser(ALICE, false, { limit: 50, offset: 0 });
    expect(page.streams.map((listed) => listed.status)).toEqual(['ended']);
  });
});

describe('StreamService.updateViewers', () => {
  it('stores the counts and never lowers peak or total', async () => {
    const stream = await liveStream();
    const emitted: number[] = [];
    service.on('viewers', (changed) => emitted.push(changed.currentViewers));

    await service.updateViewers(stream.id, { current: 5, peak: 10, total: 20 });
    expect(await service.get(stream.id)).toMatchObject({ currentViewers: 5, maxViewers: 10, totalViewers: 20 });

    // A restarted origin counts from zero again: current follows, peak and total hold.
    await service.updateViewers(stream.id, { current: 3, peak: 4, total: 8 });
    expect(await service.get(stream.id)).toMatchObject({ currentViewers: 3, maxViewers: 10, totalViewers: 20 });

    await service.updateViewers(stream.id, { current: 12, peak: 12, total: 25 });
    expect(await service.get(stream.id)).toMatchObject({ currentViewers: 12, maxViewers: 12, totalViewers: 25 });
    expect(emitted).toEqual([5, 3, 12]);
  });

  it('keeps the final figures of a stream that is no longer live', async () => {
    const stream = await liveStream();
    await service.updateViewers(stream.id, { current: 7, peak: 9, total: 30 });
    await service.stop(stream.id, ALICE);
    const emitted: Stream[] = [];
    service.on('viewers', (changed) => emitted.push(changed));
    await service.updateViewers(stream.id, { current: 0, peak: 50, total: 100 });
    expect(await service.get(stream.id)).toMatchObject({ currentViewers: 7, maxViewers: 9, totalViewers: 30 });
    expect(emitted).toEqual([]);
  });

  it('counts viewers while reconnecting', async () => {
    const stream = await liveStream();
    await service.encoderDisconnected(stream.id);
    await service.updateViewers(stream.id, { current: 2, peak: 4, total: 6 });
    expect(await service.get(stream.id)).toMatchObject({ currentViewers: 2, maxViewers: 4, totalViewers: 6 });
  });
});

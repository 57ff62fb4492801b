import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finalizeEvent, generateSecretKey, getPublicKey, type VerifiedEvent } from 'nostr-tools/pure';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../db/open.js';
import { parseLiveEvent, type LiveEvent } from '../protocol/live-event.js';
import type { NostrEvent } from '../protocol/nostr-event.js';
import { RefusedEvent, type NostrStore } from '../protocol/nostr-store.js';
import { createStreamRequestSchema } from '../protocol/stream-settings.js';
import { StreamRepository } from '../streams/stream-repository.js';
import { StreamService } from '../streams/stream-service.js';
import type { Stream } from '../streams/stream.js';
import { LiveEventPublisher, type PublisherOptions } from './live-event-publisher.js';
import { RelayOutbox } from './relay-outbox.js';

const secret = generateSecretKey();
const SERVICE = getPublicKey(secret);
const HOST = 'a'.repeat(64);
const T0 = Date.UTC(2025, 0, 1, 12);

const stream = (overrides: Partial<Stream> = {}): Stream => ({
  id: 'stream-1',
  pubkey: HOST,
  title: 'Acoustic session',
  description: 'Songs',
  category: 'music',
  tags: ['acoustic'],
  visibility: 'public',
  enableChat: true,
  record: false,
  quality: '720p',
  status: 'live',
  statusReason: null,
  rtmpIngestUrl: 'rtmp://127.0.0.1:1935/live',
  hlsPlaybackUrl: 'http://localhost:8080/hls/stream-1/master.m3u8',
  startedAt: T0 / 1000,
  endedAt: null,
  currentViewers: 0,
  maxViewers: 0,
  totalViewers: 0,
  createdAt: T0 / 1000,
  updatedAt: T0 / 1000,
  paused: false,
  recordingUrl: null,
  imageUrl: null,
  goal: null,
  thumbnailAt: 1,
  startsAt: null,
  streamType: 'video',
  signer: 'service',
  moderators: [],
  nowPlaying: null,
  ...overrides,
});

/**
 * The built-in relay's part as an in-memory addressable store, with NIP-01's rule: the
 * later created_at wins, and at the same second the lower id. `event` can be held open to
 * let publishes overlap.
 */
class FakeRelay implements NostrStore {
  readonly received: NostrEvent[] = [];
  current: NostrEvent | undefined;
  hold: Promise<void> | undefined;
  /** The OK message of a relay that refuses, as its policies would. */
  refusal: string | undefined;

  readonly event = async (event: NostrEvent) => {
    await this.hold;
    if (this.refusal !== undefined) throw new RefusedEvent(this.refusal);
    this.received.push(event);
    const current = this.current;
    if (!current || event.created_at > current.created_at || (event.created_at === current.created_at && event.id < current.id)) {
      this.current = event;
    }
  };

  readonly query = async () => {
    await this.hold;
    return this.current ? [this.current] : [];
  };
}

const parsed = (event: NostrEvent | undefined): LiveEvent => {
  const result = event && parseLiveEvent(event);
  if (!result?.ok) throw new Error('not a live event');
  return result.value;
};

let relay: FakeRelay;
let streams: Map<string, Stream>;
let publisher: LiveEventPublisher;

function newPublisher(overrides: Partial<PublisherOptions> = {}): LiveEventPublisher {
  return new LiveEventPublisher({
    servicePubkey: SERVICE,
    sign: (template) => finalizeEvent(template, secret),
    relay,
    outboxes: [],
    context: { ownRelay: 'ws://localhost:8080/', externalRelays: [] },
    load: async (id) => streams.get(id),
    cover: async () => null,
    logger: { info: () => undefined, warn: () => undefined },
    ...overrides,
  });
}

/** The stream changes (as the database would have it) and the service announces it. */
async function change(overrides: Partial<Stream>): Promise<void> {
  const next = { ...(streams.get('stream-1') ?? stream()), ...overrides };
  streams.set(next.id, next);
  await publisher.streamChanged(next);
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  relay = new FakeRelay();
  streams = new Map();
  publisher = newPublisher();
});

afterEach(async () => {
  await publisher.close();
  vi.useRealTimers();
});

describe('LiveEventPublisher rate limit', () => {
  it('publishes a live stream at most once per 10 s, with the newest counts when the wait is over', async () => {
    await change({ status: 'live' });
    expect(relay.received).toHaveLength(1);

    for (let viewers = 1; viewers <= 5; viewers += 1) {
      await vi.advanceTimersByTimeAsync(1000);
      await change({ currentViewers: viewers, totalViewers: viewers });
    }
    expect(relay.received).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(5000);
    expect(relay.received).toHaveLength(2);
    expect(parsed(relay.received[1])).toMatchObject({ currentParticipants: 5, totalParticipants: 5 });
    expect((relay.received[1]?.created_at ?? 0) - (relay.received[0]?.created_at ?? 0)).toBeGreaterThanOrEqual(10);
  });

  it('publishes a status change at once, whatever the last publish was', async () => {
    await change({ status: 'connected' });
    await change({ status: 'live' });
    await change({ status: 'ended', endedAt: T0 / 1000 });
    expect(relay.received.map((event) => parsed(event).status)).toEqual(['planned', 'live', 'ended']);
    expect(parsed(relay.current).status).toBe('ended');
  });

  it("republishes an ended stream at once when its recording arrives, with the recording's URL", async () => {
    await change({ status: 'live' });
    await change({ status: 'ended', endedAt: T0 / 1000 });
    await change({ recordingUrl: 'http://localhost:8080/vod/stream-1/index.m3u8' });
    expect(relay.received).toHaveLength(3);
    expect(parsed(relay.current)).toMatchObject({ status: 'ended', recording: 'http://localhost:8080/vod/stream-1/index.m3u8' });
  });

  it('publishes the new title, summary and tags of an edited stream', async () => {
    await change({ status: 'live' });
    await change({ title: 'Late-night jazz', description: 'Standards only', tags: ['jazz', 'piano'] });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(parsed(relay.current)).toMatchObject({ title: 'Late-night jazz', summary: 'Standards only', hashtags: ['music', 'jazz', 'piano'] });
  });

  it("publishes the streamer's cover as image while there is one, and the live thumbnail once it is cleared", async () => {
    const thumbnail = 'http://localhost:8080/hls/stream-1/thumb.jpg';
    await change({ status: 'live', imageUrl: 'https://images.example/cover.jpg' });
    expect(parsed(relay.current)).toMatchObject({ image: 'https://images.example/cover.jpg', thumbnail });
    await change({ imageUrl: null });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(relay.received).toHaveLength(2);
    expect(parsed(relay.current)).toMatchObject({ image: thumbnail, thumbnail });
  });

  it('publishes a new now-playing track within 2 s even when counts were published just before, and leaves it out once ended', async () => {
    const track = { title: 'Windowlicker', artist: 'Aphex Twin', link: null, startedAt: T0 / 1000 };
    await change({ status: 'live' });
    await vi.advanceTimersByTimeAsync(500);
    // A viewer update now waits the full 10 s; the track that follows must not wait behind it.
    await change({ currentViewers: 3 });
    await change({ nowPlaying: track });
    expect(relay.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1500);
    expect(relay.received).toHaveLength(2);
    expect(parsed(relay.current)).toMatchObject({ currentParticipants: 3, nowPlaying: { title: 'Windowlicker', artist: 'Aphex Twin' } });
    expect(parsed(relay.current).nowPlaying).not.toHaveProperty('link');

    // The same track again is no news: the 10 s limit holds.
    await change({ currentViewers: 4 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(relay.received).toHaveLength(2);
    await change({ nowPlaying: null });
    await vi.advanceTimersByTimeAsync(0);
    expect(relay.received).toHaveLength(3);
    expect(parsed(relay.current)).not.toHaveProperty('nowPlaying');

    await change({ nowPlaying: track, status: 'error', endedAt: T0 / 1000 });
    expect(parsed(relay.current)).toMatchObject({ status: 'ended' });
    expect(parsed(relay.current)).not.toHaveProperty('nowPlaying');
  });

  it('never publishes a private stream', async () => {
    await change({ visibility: 'private', status: 'live' });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(relay.received).toEqual([]);
  });
});

describe('LiveEventPublisher refresh', () => {
  it('republishes a live stream at least every 5 minutes, and stops once it ended', async () => {
    await change({ status: 'live' });
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    const times = relay.received.map((event) => event.created_at);
    expect(times.length).toBeGreaterThanOrEqual(4);
    for (let index = 1; index < times.length; index += 1) {
      expect((times[index] ?? 0) - (times[index - 1] ?? 0)).toBeLessThanOrEqual(300);
    }
    expect(times.at(-1)).toBeGreaterThanOrEqual(T0 / 1000 + 20 * 60 - 300);

    await change({ status: 'ended', endedAt: T0 / 1000 + 1200 });
    const count = relay.received.length;
    await vi.advanceTimersByTimeAsync(20 * 60_000);
    expect(relay.received).toHaveLength(count);
  });
});

describe('LiveEventPublisher expiration (NIP-40)', () => {
  const expirationOf = (event: NostrEvent | undefined) => parsed(event).expiration;

  it('lets a live event expire three refreshes after it is signed, and each refresh moves it on', async () => {
    await change({ status: 'live' });
    const first = relay.current;
    expect(expirationOf(first)).toBe((first?.created_at ?? 0) + 15 * 60);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(relay.current?.id).not.toBe(first?.id);
    expect(expirationOf(relay.current)).toBe((relay.current?.created_at ?? 0) + 15 * 60);
  });

  it('never lets a planned or an ended event expire: the ended one is the lasting record', async () => {
    await change({ status: 'connected' });
    expect(expirationOf(relay.current)).toBeUndefined();
    await change({ status: 'live' });
    await change({ status: 'ended', endedAt: T0 / 1000 });
    expect(relay.current?.tags.some(([name]) => name === 'expiration')).toBe(false);
  });

  it('at close, publishes each live stream once more expiring with the shutdown lifetime, and hands it to the external relays first', async () => {
    const delivered: VerifiedEvent[] = [];
    const outbox = new RelayOutbox('wss://relay.example', {
      logger: { info: () => undefined, warn: () => undefined },
      connect: async () => ({
        connected: true,
        // An external relay that takes a second to answer.
        publish: async (event) => {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          delivered.push(event);
          return '';
        },
        close: () => undefined,
      }),
    });
    await publisher.close();
    publisher = newPublisher({ outboxes: [outbox], shutdownLifetimeMs: 120_000 });
    await change({ status: 'live' });
    streams.set('stream-2', stream({ id: 'stream-2', status: 'ended', endedAt: T0 / 1000 }));
    await publisher.streamChanged(stream({ id: 'stream-2' }));

    const closed = publisher.close();
    await vi.advanceTimersByTimeAsync(3000);
    await closed;
    const last = relay.received.filter((event) => parsed(event).identifier === 'stream-1').at(-1);
    expect(parsed(last)).toMatchObject({ identifier: 'stream-1', status: 'live', expiration: (last?.created_at ?? 0) + 120 });
    expect(delivered.map((event) => event.id)).toContain(last?.id);
    // Only live streams are republished: the ended one was final.
    expect(relay.received.filter((event) => parsed(event).identifier === 'stream-2')).toHaveLength(1);
  });
});

describe('LiveEventPublisher and a refusing built-in relay', () => {
  it("logs the built-in relay's refusal and still hands the event to the external relays", async () => {
    const delivered: VerifiedEvent[] = [];
    const warnings: unknown[] = [];
    const outbox = new RelayOutbox('wss://relay.example', {
      logger: { info: () => undefined, warn: () => undefined },
      connect: async () => ({ connected: true, publish: async (event) => (delivered.push(event), ''), close: () => undefined }),
    });
    await publisher.close();
    publisher = newPublisher({ outboxes: [outbox], logger: { info: () => undefined, warn: (...args: unknown[]) => warnings.push(args) } });
    relay.refusal = 'restricted: not today';
    await change({ status: 'live' });
    await vi.advanceTimersByTimeAsync(0);
    expect(relay.received).toEqual([]);
    expect(delivered).toHaveLength(1);
    expect(warnings).toContainEqual([{ streamId: 'stream-1', reason: 'restricted: not today' }, 'built-in relay refused the live event']);
  });
});

describe('LiveEventPublisher ordering', () => {
  it('gives overlapping publishes increasing created_at, so the newest state wins on the relay', async () => {
    let release: () => void = () => undefined;
    relay.hold = new Promise((resolve) => (release = resolve));
    // Both start within the same second, while the relay is slow to answer; the database
    // has moved on by the time they run, and the announcement of the second is stale.
    const first = publisher.streamChanged(stream({ status: 'live' }));
    streams.set('stream-1', stream({ status: 'ended', endedAt: T0 / 1000, totalViewers: 7 }));
    const second = publisher.streamChanged(stream({ status: 'ended' }));
    release();
    relay.hold = undefined;
    await Promise.all([first, second]);

    const [older, newer] = relay.received;
    expect(newer?.created_at).toBeGreaterThan(older?.created_at ?? Infinity);
    expect(parsed(relay.current)).toMatchObject({ status: 'ended', totalParticipants: 7 });
  });

  it('continues after the last event the relay holds when the publisher starts afresh', async () => {
    await change({ status: 'live' });
    await publisher.close();
    publisher = newPublisher();
    await change({ status: 'ended', endedAt: T0 / 1000 });
    const [, atShutdown, ended] = relay.received;
    expect(ended?.created_at).toBe((atShutdown?.created_at ?? 0) + 1);
    expect(parsed(relay.current).status).toBe('ended');
  });
});

describe('LiveEventPublisher with the stream service', () => {
  it('follows an edit of title, summary and tags with a new 30311 carrying the new values', async () => {
    vi.useRealTimers();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-publisher-'));
    const database = await openDatabase({ dataDir, databaseUrl: undefined });
    const repository = new StreamRepository(database.db);
    const service = new StreamService(
      repository,
      { rtmpIngest: 'rtmp://127.0.0.1:1935/live', hlsPlayback: (id) => `http://localhost:8080/hls/${id}/master.m3u8` },
      { reconnectGraceMs: 60_000, logger: pino({ level: 'silent' }) },
    );
    await publisher.close();
    publisher = newPublisher({ load: (id) => repository.findById(id), minIntervalMs: 200 });
    // Wired as the composition root wires them.
    service.on('created', (created) => void publisher.streamChanged(created));
    service.on('status', (change) => void publisher.statusChanged(change));
    service.on('updated', (updated) => void publisher.streamChanged(updated));
    try {
      const settings = createStreamRequestSchema.parse({ title: 'Acoustic session', category: 'music', tags: ['acoustic'] });
      const { stream: created } = await service.create(HOST, settings);
      await service.encoderConnected(created.id);
      await service.start(created.id, HOST);
      await vi.waitFor(() => expect(parsed(relay.current).status).toBe('live'));
      const before = relay.current;

      await service.update(created.id, HOST, { title: 'Late-night jazz', description: 'Standards only', tags: ['jazz', 'piano'] });
      await vi.waitFor(() => expect(relay.current?.id).not.toBe(before?.id));
      expect(parsed(relay.current)).toMatchObject({
        status: 'live',
        title: 'Late-night jazz',
        summary: 'Standards only',
        hashtags: ['music', 'jazz', 'piano'],
      });
      expect(relay.current?.created_at).toBeGreaterThan(before?.created_at ?? Infinity);
    } finally {
      service.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('LiveEventPublisher: the tags other clients read', () => {
  const tagsOf = (event: NostrEvent | undefined, name: string) => (event?.tags ?? []).filter((tag) => tag[0] === name);

  it("writes thumb beside thumbnail, zap.stream's internal category, and no service tag on a live stream", async () => {
    await change({ status: 'live' });
    const event = relay.current;
    expect(tagsOf(event, 'streaming')).toEqual([['streaming', 'http://localhost:8080/hls/stream-1/master.m3u8']]);
    expect(tagsOf(event, 'thumbnail')).toEqual([['thumbnail', 'http://localhost:8080/hls/stream-1/thumb.jpg']]);
    expect(tagsOf(event, 'thumb')).toEqual([['thumb', 'http://localhost:8080/hls/stream-1/thumb.jpg']]);
    expect(tagsOf(event, 't')).toEqual([['t', 'music'], ['t', 'acoustic'], ['t', 'internal:music']]);
    // zap.stream would call `account` and `notifications/*` at that URL: this service answers neither.
    expect(tagsOf(event, 'service')).toEqual([]);
  });

  it('names no thumbnail while no picture of the stream has been taken (no media yet, or only the preview before Start)', async () => {
    await change({ status: 'live', thumbnailAt: null });
    expect(tagsOf(relay.current, 'thumbnail')).toEqual([]);
    expect(tagsOf(relay.current, 'image')).toEqual([]);
    await change({ thumbnailAt: T0 / 1000 });
    // Updates are spaced out; the picture follows within the interval.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(tagsOf(relay.current, 'thumbnail')).toEqual([['thumbnail', 'http://localhost:8080/hls/stream-1/thumb.jpg']]);
  });

  it("keeps streaming on an ended stream, pointing at the recording's playlist once there is one", async () => {
    await change({ status: 'live' });
    await change({ status: 'ended', endedAt: T0 / 1000 });
    // No recording (yet): nothing plays, so nothing is pointed at.
    expect(tagsOf(relay.current, 'streaming')).toEqual([]);
    await change({ recordingUrl: 'http://localhost:8080/vod/stream-1/index.m3u8' });
    expect(tagsOf(relay.current, 'status')).toEqual([['status', 'ended']]);
    expect(tagsOf(relay.current, 'streaming')).toEqual([['streaming', 'http://localhost:8080/vod/stream-1/index.m3u8']]);
    expect(tagsOf(relay.current, 'recording')).toEqual([['recording', 'http://localhost:8080/vod/stream-1/index.m3u8']]);
    expect(tagsOf(relay.current, 'thumb')).toEqual([['thumb', 'http://localhost:8080/hls/stream-1/thumb.jpg']]);
  });

  it.each([
    ['tech', 'internal:science-and-technology'],
    ['irl', 'internal:irl'],
  ] as const)("maps our category %s onto zap.stream's %s", async (category, tag) => {
    await change({ status: 'live', category });
    expect(tagsOf(relay.current, 't')).toContainEqual(['t', tag]);
  });

  it('writes no internal category for one zap.stream does not have', async () => {
    await change({ status: 'live', category: 'podcast' });
    expect(tagsOf(relay.current, 't').filter(([, value]) => value?.startsWith('internal:'))).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrlFor, ENGINES } from '../../testkit/engines.js';
import { StreamRepository } from '../streams/stream-repository.js';
import type { Stream } from '../streams/stream.js';
import type { Database } from './database.js';
import { migrateToLatest } from './migrate.js';
import { openDatabase } from './open.js';
import { SQLITE_FILE_NAME } from './sqlite.js';

const TABLES = ['streams', 'stream_tags', 'stream_metrics', 'nostr_events', 'nostr_tags'];
const FIRST_MIGRATIONS = ['001-streams', '002-nostr-events', '003-stream-media', '004-stream-metrics-quality'];

/** A time past 2^31 would overflow a 32-bit column; Unix seconds in 2100 need int8. */
const YEAR_2100 = 4_102_444_800;

function sampleStream(overrides: Partial<Stream> = {}): Stream {
  const id = randomUUID();
  return {
    id,
    pubkey: 'a'.repeat(64),
    title: 'Acoustic session',
    description: 'Taking requests in chat',
    category: 'music',
    tags: ['acoustic', 'guitar'],
    visibility: 'public',
    enableChat: true,
    record: false,
    quality: '480p',
    status: 'created',
    statusReason: null,
    rtmpIngestUrl: 'rtmp://127.0.0.1:1935/live',
    hlsPlaybackUrl: `http://localhost:8080/hls/${id}/master.m3u8`,
    startedAt: null,
    endedAt: null,
    currentViewers: 0,
    maxViewers: 0,
    totalViewers: 0,
    createdAt: 1_750_000_000,
    updatedAt: 1_750_000_000,
    paused: false,
    recordingUrl: null,
    imageUrl: null,
    goal: null,
    thumbnailAt: null,
    startsAt: null,
  streamType: 'video',
  signer: 'service',
    moderators: [],
    nowPlaying: null,
    ...overrides,
  };
}

/** Names recorded in Kysely's migration table, in name order. */
async function appliedMigrations(database: Database): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(database.db);
  return rows.map((row) => row.name);
}

const keyHash = () => randomUUID().replace(/-/g, '').padEnd(64, '0');

describe.each(ENGINES)('the data layer on %s', (engine) => {
  let dataDir: string;
  let url: string | undefined;
  let drop: () => Promise<void>;
  let database: Database;
  let repository: StreamRepository;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-db-test-'));
    ({ url, drop } = await databaseUrlFor(engine));
    database = await openDatabase({ dataDir, databaseUrl: url });
    repository = new StreamRepository(database.db);
  });

  afterAll(async () => {
    await database.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('openDatabase', () => {
    it('opens the engine the settings ask for', () => {
      expect(database.engine).toBe(engine);
      expect(existsSync(path.join(dataDir, SQLITE_FILE_NAME))).toBe(engine === 'sqlite');
    });

    it('creates every table', async () => {
      const tables = (await database.db.introspection.getTables()).map((table) => table.name);
      for (const table of TABLES) expect(tables, table).toContain(table);
    });

    it('applies every migration, in order', async () => {
      const names = await appliedMigrations(database);
      expect(names.slice(0, FIRST_MIGRATIONS.length)).toEqual(FIRST_MIGRATIONS);
      expect(new Set(names).size).toBe(names.length);
    });

    it('has nothing left to migrate once open', async () => {
      expect(await migrateToLatest(database)).toEqual([]);
    });

    it('gives streams the columns the later migrations add', async () => {
      const streams = (await database.db.introspection.getTables()).find((table) => table.name === 'streams');
      const columns = streams?.columns.map((column) => column.name) ?? [];
      expect(columns).toEqual(expect.arrayContaining(['paused', 'recording_url', 'stream_key_hash', 'status_reason', 'image_url']));
      const metrics = (await database.db.introspection.getTables()).find((table) => table.name === 'stream_metrics');
      expect(metrics?.columns.map((column) => column.name)).toEqual(
        expect.arrayContaining(['watch_seconds', 'buffering_events', 'dropouts']),
      );
    });

    it('is idempotent on reopen and keeps the data', async () => {
      const stream = sampleStream();
      await repository.insert(stream, keyHash());
      const before = await appliedMigrations(database);

      const again = await openDatabase({ dataDir, databaseUrl: url });
      try {
        expect(again.engine).toBe(engine);
        expect(await appliedMigrations(again)).toEqual(before);
        expect(await migrateToLatest(again)).toEqual([]);
        expect(await new StreamRepository(again.db).findById(stream.id)).toEqual(stream);
      } finally {
        await again.close();
      }
    });
  });

  describe('StreamRepository', () => {
    it('round-trips a stream row, tags included', async () => {
      const stream = sampleStream({
        tags: ['acoustic', 'guitar', 'live looping'],
        visibility: 'private',
        enableChat: false,
        record: true,
        quality: 'source',
        status: 'live',
        statusReason: 'back after a break',
        startedAt: 1_750_000_100,
        currentViewers: 3,
        maxViewers: 7,
        totalViewers: 12,
        imageUrl: 'https://images.example.com/cover.jpg',
      });
      const hash = keyHash();
      await repository.insert(stream, hash);
      expect(await repository.findById(stream.id)).toEqual(stream);
      expect(await repository.findByKeyHash(hash)).toEqual(stream);
    });

    it('answers undefined for an unknown id or key hash', async () => {
      expect(await repository.findById(randomUUID())).toBeUndefined();
      expect(await repository.findByKeyHash('f'.repeat(64))).toBeUndefined();
    });

    it('stores the key hash, and replaceKeyHash retires the old one', async () => {
      const stream = sampleStream();
      const oldHash = keyHash();
      const newHash = keyHash();
      await repository.insert(stream, oldHash);
      await repository.replaceKeyHash(stream.id, newHash, 1_750_000_500);
      expect(await repository.findByKeyHash(oldHash)).toBeUndefined();
      expect((await repository.findByKeyHash(newHash))?.id).toBe(stream.id);
    });

    it('refuses a second stream with the same key hash', async () => {
      const hash = keyHash();
      await repository.insert(sampleStream(), hash);
      await expect(repository.insert(sampleStream(), hash)).rejects.toThrow();
    });

    it('changes status compare-and-set on the old status', async () => {
      const stream = sampleStream({ status: 'connected' });
      await repository.insert(stream, keyHash());
      expect(await repository.changeStatus(stream.id, 'connected', 'live', { startedAt: 1_750_000_200 }, 1_750_000_200)).toBe(true);
      expect(await repository.changeStatus(stream.id, 'connected', 'ended', {}, 1_750_000_300)).toBe(false);
      expect(await repository.findById(stream.id)).toMatchObject({
        status: 'live',
        startedAt: 1_750_000_200,
        updatedAt: 1_750_000_200,
      });
    });

    it('pauses only a live (or reconnecting) stream', async () => {
      const created = sampleStream();
      const live = sampleStream({ status: 'live' });
      await repository.insert(created, keyHash());
      await repository.insert(live, keyHash());
      expect(await repository.setPaused(created.id, true, 1_750_000_000)).toBe(false);
      expect(await repository.setPaused(live.id, true, 1_750_000_000)).toBe(true);
      expect((await repository.findById(live.id))?.paused).toBe(true);
      expect((await repository.findById(created.id))?.paused).toBe(false);
    });

    it('lists with filters and a total count as a number', async () => {
      const pubkey = 'c'.repeat(64);
      const streams = [
        sampleStream({ pubkey, status: 'live', category: 'gaming', tags: ['speedrun'], currentViewers: 5, createdAt: 1 }),
        sampleStream({ pubkey, status: 'live', category: 'gaming', tags: [], currentViewers: 9, createdAt: 2 }),
        sampleStream({ pubkey, status: 'live', category: 'gaming', tags: ['speedrun'], visibility: 'private', createdAt: 3 }),
        sampleStream({ pubkey, status: 'ended', category: 'gaming', tags: ['speedrun'], createdAt: 4 }),
      ];
      for (const stream of streams) await repository.insert(stream, keyHash());

      const popular = await repository.list(
        { pubkey, statuses: ['live'], publicOnly: true, order: 'popular' },
        { limit: 10, offset: 0 },
      );
      expect(popular.total).toBe(2);
      expect(popular.streams.map((stream) => stream.id)).toEqual([streams[1]?.id, streams[0]?.id]);

      const tagged = await repository.list({ pubkey, tag: 'speedrun', publicOnly: false, order: 'newest' }, { limit: 10, offset: 0 });
      expect(tagged.total).toBe(3);
      expect(typeof tagged.total).toBe('number');
      expect(tagged.streams.map((stream) => stream.id)).toEqual([streams[3]?.id, streams[2]?.id, streams[0]?.id]);

      const paged = await repository.list({ pubkey, publicOnly: false, order: 'newest' }, { limit: 1, offset: 1 });
      expect(paged.total).toBe(4);
      expect(paged.streams.map((stream) => stream.id)).toEqual([streams[2]?.id]);
    });

    it('replaces tags on updateInfo', async () => {
      const stream = sampleStream({ tags: ['old'] });
      await repository.insert(stream, keyHash());
      await repository.updateInfo(stream.id, { title: 'New title', tags: ['b', 'a'] }, 1_750_000_900);
      expect(await repository.findById(stream.id)).toMatchObject({ title: 'New title', tags: ['a', 'b'], updatedAt: 1_750_000_900 });
    });
  });

  describe('int8 columns', () => {
    it('come back as numbers, not strings', async () => {
      const stream = sampleStream({
        status: 'ended',
        startedAt: YEAR_2100 - 3600,
        endedAt: YEAR_2100,
        createdAt: YEAR_2100 - 7200,
        updatedAt: YEAR_2100,
      });
      await repository.insert(stream, keyHash());
      const row = await database.db
        .selectFrom('streams')
        .select(['created_at', 'updated_at', 'started_at', 'ended_at'])
        .where('id', '=', stream.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({
        created_at: YEAR_2100 - 7200,
        updated_at: YEAR_2100,
        started_at: YEAR_2100 - 3600,
        ended_at: YEAR_2100,
      });
      for (const value of Object.values(row)) expect(typeof value).toBe('number');
    });

    it('include the bigserial metrics id and the sample timestamp', async () => {
      const stream = sampleStream();
      await repository.insert(stream, keyHash());
      await database.db
        .insertInto('stream_metrics')
        .values({ stream_id: stream.id, timestamp: YEAR_2100, concurrent_viewers: 4, total_viewers: 9, chat_messages: 2, bitrate: null })
        .execute();
      const sample = await database.db
        .selectFrom('stream_metrics')
        .selectAll()
        .where('stream_id', '=', stream.id)
        .executeTakeFirstOrThrow();
      expect(typeof sample.id).toBe('number');
      expect(sample).toMatchObject({
        timestamp: YEAR_2100,
        concurrent_viewers: 4,
        total_viewers: 9,
        chat_messages: 2,
        bitrate: null,
        watch_seconds: 0,
        buffering_events: 0,
        dropouts: 0,
      });
    });

    it('include the nostr event created_at and expires_at', async () => {
      const id = 'e'.repeat(64);
      await database.db
        .insertInto('nostr_events')
        .values({
          id,
          pubkey: 'b'.repeat(64),
          kind: 1311,
          created_at: YEAR_2100,
          content: 'hi',
          tags: '[]',
          sig: 'f'.repeat(128),
          slot: null,
          expires_at: YEAR_2100 + 60,
        })
        .execute();
      await database.db
        .insertInto('nostr_tags')
        .values({ event_id: id, name: 'a', value: '30311:x:y', kind: 1311, created_at: YEAR_2100 })
        .execute();
      const event = await database.db.selectFrom('nostr_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(event.created_at).toBe(YEAR_2100);
      expect(event.expires_at).toBe(YEAR_2100 + 60);
      const tag = await database.db.selectFrom('nostr_tags').selectAll().where('event_id', '=', id).executeTakeFirstOrThrow();
      expect(tag.created_at).toBe(YEAR_2100);
    });
  });
});

describe('openDatabase on a PostgreSQL that is not there', () => {
  let dataDir: string | undefined;
  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('rejects instead of answering a half-open database', async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-db-test-'));
    await expect(
      openDatabase({ dataDir, databaseUrl: 'postgres://nobody:nothing@127.0.0.1:1/none?connect_timeout=2' }),
    ).rejects.toThrow();
    expect(existsSync(path.join(dataDir, SQLITE_FILE_NAME))).toBe(false);
  });
});

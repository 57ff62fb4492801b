import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrlFor, ENGINES } from '../../testkit/engines.js';
import type { Database } from '../db/database.js';
import { openDatabase } from '../db/open.js';
import { ViewerCountryRepository } from './viewer-country-repository.js';

describe.each(ENGINES)('ViewerCountryRepository on %s', (engine) => {
  let dataDir: string;
  let drop: () => Promise<void>;
  let database: Database;
  let countries: ViewerCountryRepository;
  const streamId = randomUUID();

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-countries-'));
    const scratch = await databaseUrlFor(engine);
    drop = scratch.drop;
    database = await openDatabase({ dataDir, databaseUrl: scratch.url });
    await database.db
      .insertInto('streams')
      .values({
        id: streamId,
        pubkey: 'a'.repeat(64),
        title: 'Geography',
        description: '',
        category: 'music',
        visibility: 'public',
        enable_chat: 1,
        record: 0,
        quality: '480p',
        status: 'live',
        rtmp_ingest_url: 'rtmp://127.0.0.1/live',
        hls_playback_url: 'http://localhost/hls/x/master.m3u8',
        stream_key_hash: 'b'.repeat(64),
        status_reason: null,
        started_at: 1,
        ended_at: null,
        current_viewers: 0,
        max_viewers: 0,
        total_viewers: 0,
        recording_url: null,
        image_url: null,
        now_playing_title: null,
        now_playing_artist: null,
        now_playing_link: null,
        now_playing_started_at: null,
        goal_event_id: null,
        created_at: 1,
        updated_at: 1,
      })
      .execute();
    countries = new ViewerCountryRepository(database.db);
  });

  afterAll(async () => {
    await database.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts viewers per country, most first, and nothing for another stream', async () => {
    for (const country of ['US', 'AU', 'US', 'ZZ', 'US', 'AU']) await countries.add(streamId, country);
    expect(await countries.of(streamId)).toEqual([
      { country: 'US', viewers: 3 },
      { country: 'AU', viewers: 2 },
      { country: 'ZZ', viewers: 1 },
    ]);
    expect(await countries.of(randomUUID())).toEqual([]);
  });

  it('counts a burst of viewers added at once in full, however the writes group them', async () => {
    const burst = randomUUID();
    await database.db.insertInto('streams').values({ ...(await database.db.selectFrom('streams').selectAll().where('id', '=', streamId).executeTakeFirstOrThrow()), id: burst, stream_key_hash: 'c'.repeat(64) }).execute();
    const added = Array.from({ length: 500 }, (_, index) => countries.add(burst, index % 5 === 0 ? 'DE' : 'ZZ'));
    // Read while the burst is still being written: the read waits for what was added before it.
    const read = countries.of(burst);
    await Promise.all(added);
    expect(await read).toEqual([
      { country: 'ZZ', viewers: 400 },
      { country: 'DE', viewers: 100 },
    ]);
    await countries.add(burst, 'DE');
    expect(await countries.of(burst)).toEqual([
      { country: 'ZZ', viewers: 400 },
      { country: 'DE', viewers: 101 },
    ]);
  });
});

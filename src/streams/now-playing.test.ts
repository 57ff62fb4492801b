import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../../testkit/engines.js';
import { openScratch, SCRATCH_URLS, type ScratchService } from '../../testkit/scratch.js';
import { createStreamRequestSchema } from '../protocol/stream-settings.js';
import { StreamError } from './errors.js';
import { NowPlaying } from './now-playing.js';
import { StreamRepository } from './stream-repository.js';
import { StreamService } from './stream-service.js';
import type { Stream } from './stream.js';
import { TrackRepository } from './track-repository.js';

const ALICE = 'a'.repeat(64);
const settings = createStreamRequestSchema.parse({ title: 'Late set', category: 'music' });
const track = (title: string) => ({ title, artist: 'DJ Q', link: null });

describe.each(ENGINES)('now playing on %s', (engine) => {
  let scratch: ScratchService;
  let streams: StreamService;
  let tracks: TrackRepository;

  beforeEach(async () => {
    scratch = await openScratch(engine);
    streams = new StreamService(new StreamRepository(scratch.database.db), SCRATCH_URLS, {
      reconnectGraceMs: 60_000,
      logger: pino({ level: 'silent' }),
    });
    tracks = new TrackRepository(scratch.database.db);
  });
  afterEach(async () => {
    streams.close();
    await scratch.close();
  });

  it('refuses the track past the limit with a conflict, keeping the current track and the timeline as they were', async () => {
    const nowPlaying = new NowPlaying(streams, tracks, 3);
    const { stream } = await streams.create(ALICE, settings);
    for (const title of ['One', 'Two', 'Three']) await nowPlaying.play(stream.id, ALICE, track(title));
    const refused = await nowPlaying.play(stream.id, ALICE, track('Four')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StreamError);
    expect(refused).toMatchObject({ kind: 'conflict', code: 'too_many_tracks', message: expect.stringContaining('3 tracks') });
    expect((await streams.get(stream.id)).nowPlaying?.title).toBe('Three');
    expect((await tracks.timeline(stream.id)).map((t) => t.title)).toEqual(['One', 'Two', 'Three']);
  });

  it('clears the track when the stream ends on the encoder side (grace expired), in the announced stream too, keeping the timeline', async () => {
    streams.close();
    streams = new StreamService(new StreamRepository(scratch.database.db), SCRATCH_URLS, { reconnectGraceMs: 50, logger: pino({ level: 'silent' }) });
    const nowPlaying = new NowPlaying(streams, tracks);
    const { stream } = await streams.create(ALICE, settings);
    await streams.encoderConnected(stream.id);
    await streams.start(stream.id, ALICE);
    await nowPlaying.play(stream.id, ALICE, track('Closer'));
    const ended = new Promise<Stream>((resolve) => {
      streams.on('status', (change) => {
        if (change.stream.status === 'ended') resolve(change.stream);
      });
    });
    await streams.encoderDisconnected(stream.id);
    expect((await ended).nowPlaying).toBeNull();
    expect((await streams.get(stream.id)).nowPlaying).toBeNull();
    expect((await tracks.timeline(stream.id)).map((t) => t.title)).toEqual(['Closer']);
  });

  it('lets no burst of concurrent sets pass the limit', async () => {
    const nowPlaying = new NowPlaying(streams, tracks, 3);
    const { stream } = await streams.create(ALICE, settings);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => nowPlaying.play(stream.id, ALICE, track(`Track ${i}`))),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    const timeline = await tracks.timeline(stream.id);
    expect(timeline).toHaveLength(3);
    // The row and the timeline agree on what plays now: the last track stored.
    expect((await streams.get(stream.id)).nowPlaying?.title).toBe(timeline.at(-1)?.title);
  });
});

import type { NowPlayingRequest } from '../protocol/stream-settings.js';
import { unixNow } from '../protocol/time.js';
import { StreamError } from './errors.js';
import type { StreamService } from './stream-service.js';
import type { Stream } from './stream.js';
import type { TrackRepository } from './track-repository.js';

/** A stream's timeline keeps at most this many tracks: a script cannot grow the table without bound. */
export const MAX_TRACKS_PER_STREAM = 1000;

const streamEnded = () =>
  new StreamError('conflict', 'stream_ended', 'This stream has ended; its now-playing track can no longer change.');

/**
 * The streamer's "now playing": sets or clears the current track of a stream they own, any
 * time before its end (also before Start), and announces it as the stream service's `track`
 * event, so every part (feed, live event) hears it the way it hears any other change.
 *
 *   const nowPlaying = new NowPlaying(streams, new TrackRepository(database.db));
 *   const stream = await nowPlaying.play(id, pubkey, { title, artist, link });
 */
export class NowPlaying {
  constructor(
    private readonly streams: StreamService,
    private readonly tracks: TrackRepository,
    private readonly maxTracks = MAX_TRACKS_PER_STREAM,
  ) {}

  async play(id: string, pubkey: string, request: NowPlayingRequest): Promise<Stream> {
    await this.streams.getOwned(id, pubkey);
    const outcome = await this.tracks.play(id, { ...request, startedAt: unixNow() }, this.maxTracks);
    if (outcome === 'ended') throw streamEnded();
    if (outcome === 'full') {
      throw new StreamError(
        'conflict',
        'too_many_tracks',
        `This stream's timeline already holds ${this.maxTracks} tracks, the most one stream keeps; start a new stream to set more.`,
      );
    }
    return this.announce(id);
  }

  async clear(id: string, pubkey: string): Promise<Stream> {
    await this.streams.getOwned(id, pubkey);
    if (!(await this.tracks.clear(id, unixNow()))) throw streamEnded();
    return this.announce(id);
  }

  private async announce(id: string): Promise<Stream> {
    const stream = await this.streams.get(id);
    this.streams.emit('track', stream);
    return stream;
  }
}

import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { NO_TRACK } from './stream-repository.js';
import type { Track } from './stream.js';

/** Why a track could not be set: the stream ended, or its timeline holds as many tracks as allowed. */
export type PlayOutcome = 'played' | 'ended' | 'full';

/** Thrown inside the transaction only to roll it back. */
class TimelineFull extends Error {}

/**
 * "Now playing" in the database: the current track on the stream row (so a stream's view
 * needs no extra query) and every track set, in order, in `stream_tracks` (its timeline).
 *
 *   const tracks = new TrackRepository(database.db);
 *   await tracks.play(streamId, { title, artist, link, startedAt: now }, 1000);   // 'played'
 *   await tracks.timeline(streamId);                                                // oldest first
 */
export class TrackRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  /** Makes `track` the stream's current one and adds it to the timeline, unless the stream ended or has `limit` tracks. */
  async play(streamId: string, track: Track, limit: number): Promise<PlayOutcome> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        // The row is written first: on PostgreSQL that locks it, so two sets of one stream take
        // turns and the count below cannot be passed by both. An end is compare-and-set too.
        const updated = await trx
          .updateTable('streams')
          .set({
            now_playing_title: track.title,
            now_playing_artist: track.artist,
            now_playing_link: track.link,
            now_playing_started_at: track.startedAt,
            updated_at: track.startedAt,
          })
          .where('id', '=', streamId)
          .where('status', '!=', 'ended')
          .executeTakeFirst();
        if (updated.numUpdatedRows === 0n) return 'ended';
        const { count } = await trx
          .selectFrom('stream_tracks')
          .select((eb) => eb.fn.countAll<number | string>().as('count'))
          .where('stream_id', '=', streamId)
          .executeTakeFirstOrThrow();
        // PostgreSQL's count(*) is int8, which arrives as a string.
        if (Number(count) >= limit) throw new TimelineFull();
        await trx
          .insertInto('stream_tracks')
          .values({ stream_id: streamId, title: track.title, artist: track.artist, link: track.link, started_at: track.startedAt })
          .execute();
        return 'played';
      });
    } catch (error) {
      if (error instanceof TimelineFull) return 'full';
      throw error;
    }
  }

  /** Nothing is playing any more (the timeline keeps what was); false when the stream has ended. */
  async clear(streamId: string, now: number): Promise<boolean> {
    const updated = await this.db
      .updateTable('streams')
      .set({ ...NO_TRACK, updated_at: now })
      .where('id', '=', streamId)
      .where('status', '!=', 'ended')
      .executeTakeFirst();
    return updated.numUpdatedRows > 0n;
  }

  /** Every track set on the stream, in the order set. */
  async timeline(streamId: string): Promise<Track[]> {
    const rows = await this.db
      .selectFrom('stream_tracks')
      .select(['title', 'artist', 'link', 'started_at'])
      .where('stream_id', '=', streamId)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ title: row.title, artist: row.artist, link: row.link, startedAt: row.started_at }));
  }
}

import type { Kysely, Selectable } from 'kysely';
import type { StreamUpdate } from '../protocol/stream-settings.js';
import type { Category } from '../protocol/categories.js';
import type { QualityChoice } from '../protocol/quality.js';
import type { DatabaseSchema, StreamsTable } from '../db/schema.js';
import type { StreamStatus } from './lifecycle.js';
import type { Stream } from './stream.js';

export interface Page {
  readonly limit: number;
  readonly offset: number;
}

export interface StreamPage {
  readonly streams: Stream[];
  readonly total: number;
}

export interface ListFilter {
  readonly statuses?: readonly StreamStatus[];
  readonly pubkey?: string;
  readonly category?: string;
  readonly tag?: string;
  readonly publicOnly: boolean;
  /** `popular`: most watched first (discovery); `newest`: most recently created first (history). */
  readonly order: 'popular' | 'newest';
}

/** `nowPlaying` can only be cleared with a status change (at the end); tracks are set through TrackRepository. */
export type StatusPatch = Partial<Pick<Stream, 'statusReason' | 'startedAt' | 'endedAt' | 'paused'> & { nowPlaying: null }>;

/**
 * Streams in the database. Status changes are compare-and-set on the old status, so two
 * requests racing (a stop and an encoder drop, say) cannot both win.
 *
 *   const repo = new StreamRepository(database.db);
 *   const changed = await repo.changeStatus(id, 'connected', 'live', { startedAt: now });
 */
export class StreamRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async insert(stream: Stream, keyHash: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('streams')
        .values({
          id: stream.id,
          pubkey: stream.pubkey,
          title: stream.title,
          description: stream.description,
          category: stream.category,
          visibility: stream.visibility,
          enable_chat: stream.enableChat ? 1 : 0,
          record: stream.record ? 1 : 0,
          quality: stream.quality,
          stream_key_hash: keyHash,
          rtmp_ingest_url: stream.rtmpIngestUrl,
          hls_playback_url: stream.hlsPlaybackUrl,
          status: stream.status,
          status_reason: stream.statusReason,
          started_at: stream.startedAt,
          ended_at: stream.endedAt,
          current_viewers: stream.currentViewers,
          max_viewers: stream.maxViewers,
          total_viewers: stream.totalViewers,
          created_at: stream.createdAt,
          updated_at: stream.updatedAt,
          image_url: stream.imageUrl,
          goal_event_id: stream.goal,
          thumbnail_at: stream.thumbnailAt,
          starts_at: stream.startsAt,
          stream_type: stream.streamType,
          signer: stream.signer,
        })
        .execute();
      if (stream.tags.length > 0) {
        await trx
          .insertInto('stream_tags')
          .values(stream.tags.map((tag) => ({ stream_id: stream.id, tag })))
          .execute();
      }
    });
  }

  async findById(id: string): Promise<Stream | undefined> {
    const row = await this.db.selectFrom('streams').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? (await this.withTags([row]))[0] : undefined;
  }

  async findByKeyHash(keyHash: string): Promise<Stream | undefined> {
    const row = await this.db
      .selectFrom('streams')
      .selectAll()
      .where('stream_key_hash', '=', keyHash)
      .executeTakeFirst();
    return row ? (await this.withTags([row]))[0] : undefined;
  }

  /** Moves `id` from `from` to `to`; false when the stream was not in `from` any more. */
  async changeStatus(id: string, from: StreamStatus, to: StreamStatus, patch: StatusPatch, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('streams')
      .set({
        status: to,
        updated_at: now,
        ...(patch.statusReason !== undefined && { status_reason: patch.statusReason }),
        ...(patch.startedAt !== undefined && { started_at: patch.startedAt }),
        ...(patch.endedAt !== undefined && { ended_at: patch.endedAt }),
        ...(patch.paused !== undefined && { paused: patch.paused ? 1 : 0 }),
        ...(patch.nowPlaying === null && NO_TRACK),
      })
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Pauses or resumes a stream that is live; false when it is not live. */
  async setPaused(id: string, paused: boolean, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('streams')
      .set({ paused: paused ? 1 : 0, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', ['live', 'reconnecting'])
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async setViewerCounts(id: string, counts: { current: number; peak: number; total: number }, now: number): Promise<void> {
    await this.db
      .updateTable('streams')
      .set({ current_viewers: counts.current, max_viewers: counts.peak, total_viewers: counts.total, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** Title, description, image, stream type, goal, tags and moderators, in one transaction so readers never see half an update. */
  async updateInfo(id: string, update: StreamUpdate, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('streams')
        .set({
          updated_at: now,
          ...(update.title !== undefined && { title: update.title }),
          ...(update.description !== undefined && { description: update.description }),
          ...(update.image !== undefined && { image_url: update.image }),
          ...(update.goal !== undefined && { goal_event_id: update.goal }),
          ...(update.starts_at !== undefined && { starts_at: update.starts_at }),
          ...(update.stream_type !== undefined && { stream_type: update.stream_type }),
        })
        .where('id', '=', id)
        .execute();
      if (update.tags !== undefined) {
        await trx.deleteFrom('stream_tags').where('stream_id', '=', id).execute();
        if (update.tags.length > 0) {
          await trx
            .insertInto('stream_tags')
            .values(update.tags.map((tag) => ({ stream_id: id, tag })))
            .execute();
        }
      }
      if (update.moderators !== undefined) {
        await trx.deleteFrom('stream_moderators').where('stream_id', '=', id).execute();
        if (update.moderators.length > 0) {
          await trx
            .insertInto('stream_moderators')
            .values(update.moderators.map((pubkey) => ({ stream_id: id, pubkey })))
            .execute();
        }
      }
    });
  }

  async setRecordingUrl(id: string, url: string, now: number): Promise<void> {
    await this.db.updateTable('streams').set({ recording_url: url, updated_at: now }).where('id', '=', id).execute();
  }

  /** Only the first picture is recorded: false when the stream already had one. */
  async setThumbnailAt(id: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('streams')
      .set({ thumbnail_at: at, updated_at: at })
      .where('id', '=', id)
      .where('thumbnail_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async clearThumbnailAt(id: string, now: number): Promise<void> {
    await this.db.updateTable('streams').set({ thumbnail_at: null, updated_at: now }).where('id', '=', id).execute();
  }

  async replaceKeyHash(id: string, keyHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('streams')
      .set({ stream_key_hash: keyHash, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async list(filter: ListFilter, page: Page): Promise<StreamPage> {
    let query = this.db.selectFrom('streams');
    if (filter.statuses) query = query.where('status', 'in', [...filter.statuses]);
    if (filter.pubkey) query = query.where('pubkey', '=', filter.pubkey);
    if (filter.category) query = query.where('category', '=', filter.category);
    if (filter.publicOnly) query = query.where('visibility', '=', 'public');
    if (filter.tag) {
      const tag = filter.tag;
      query = query.where('id', 'in', (sub) => sub.selectFrom('stream_tags').select('stream_id').where('tag', '=', tag));
    }
    let ordered = query.selectAll();
    if (filter.order === 'popular') ordered = ordered.orderBy('current_viewers', 'desc').orderBy('started_at', 'desc');
    const [counted, rows] = await Promise.all([
      query.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow(),
      ordered
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
    ]);
    // PostgreSQL's count(*) is int8, which arrives as a string.
    return { streams: await this.withTags(rows), total: Number(counted.total) };
  }

  private async withTags(rows: Selectable<StreamsTable>[]): Promise<Stream[]> {
    if (rows.length === 0) return [];
    const tagRows = await this.db
      .selectFrom('stream_tags')
      .select(['stream_id', 'tag'])
      .where(
        'stream_id',
        'in',
        rows.map((row) => row.id),
      )
      .orderBy('tag')
      .execute();
    const moderatorRows = await this.db
      .selectFrom('stream_moderators')
      .select(['stream_id', 'pubkey'])
      .where(
        'stream_id',
        'in',
        rows.map((row) => row.id),
      )
      .orderBy('pubkey')
      .execute();
    const tagsByStream = groupBy(tagRows.map(({ stream_id, tag }) => [stream_id, tag]));
    const moderatorsByStream = groupBy(moderatorRows.map(({ stream_id, pubkey }) => [stream_id, pubkey]));
    return rows.map((row) => toStream(row, tagsByStream.get(row.id) ?? [], moderatorsByStream.get(row.id) ?? []));
  }
}

/** The stream row's now-playing columns when no track is playing. */
export const NO_TRACK = {
  now_playing_title: null,
  now_playing_artist: null,
  now_playing_link: null,
  now_playing_started_at: null,
} as const;

function groupBy(pairs: [string, string][]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [key, value] of pairs) groups.set(key, [...(groups.get(key) ?? []), value]);
  return groups;
}

function toStream(row: Selectable<StreamsTable>, tags: string[], moderators: string[]): Stream {
  return {
    id: row.id,
    pubkey: row.pubkey,
    title: row.title,
    description: row.description,
    category: row.category as Category,
    tags,
    visibility: row.visibility,
    streamType: row.stream_type,
    signer: row.signer,
    enableChat: Boolean(row.enable_chat),
    record: Boolean(row.record),
    quality: row.quality as QualityChoice,
    status: row.status as StreamStatus,
    statusReason: row.status_reason,
    rtmpIngestUrl: row.rtmp_ingest_url,
    hlsPlaybackUrl: row.hls_playback_url,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    currentViewers: row.current_viewers,
    maxViewers: row.max_viewers,
    totalViewers: row.total_viewers,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    paused: Boolean(row.paused),
    recordingUrl: row.recording_url,
    imageUrl: row.image_url,
    goal: row.goal_event_id,
    thumbnailAt: row.thumbnail_at,
    startsAt: row.starts_at,
    moderators,
    nowPlaying:
      row.now_playing_title === null || row.now_playing_started_at === null
        ? null
        : {
            title: row.now_playing_title,
            artist: row.now_playing_artist ?? '',
            link: row.now_playing_link,
            startedAt: row.now_playing_started_at,
          },
  };
}

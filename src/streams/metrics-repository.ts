import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DatabaseSchema, StreamMetricsTable } from '../db/schema.js';

export type MetricsSample = Selectable<StreamMetricsTable>;
export type NewMetricsSample = Omit<Insertable<StreamMetricsTable>, 'id'>;

/**
 * The `stream_metrics` time series: one sample per live stream every 10 s.
 *
 *   await metrics.insert({ stream_id, timestamp, concurrent_viewers, … });
 *   const timeline = await metrics.samples(streamId);
 */
export class MetricsRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async insert(sample: NewMetricsSample): Promise<void> {
    await this.db.insertInto('stream_metrics').values(sample).execute();
  }

  /** Oldest first, at most `limit` (a 12-hour stream has 4,320). */
  async samples(streamId: string, limit = 10_000): Promise<MetricsSample[]> {
    return this.db
      .selectFrom('stream_metrics')
      .selectAll()
      .where('stream_id', '=', streamId)
      .orderBy('timestamp')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async latest(streamId: string): Promise<MetricsSample | undefined> {
    return this.db
      .selectFrom('stream_metrics')
      .selectAll()
      .where('stream_id', '=', streamId)
      .orderBy('timestamp', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
}

import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';

export interface CountryViewers {
  /** ISO 3166 alpha-2, `ZZ` when the address was private or not in the database. */
  readonly country: string;
  readonly viewers: number;
}

interface PendingCount {
  readonly stream_id: string;
  readonly country: string;
  viewers: number;
}

/**
 * Viewer geography in the database: a count per stream and country, one more for every new
 * viewer session. The address a country came from is not stored.
 *
 * New viewers arrive in bursts (a raid, a link shared: a thousand a second, nearly all in one
 * country), and one upsert each would queue them all on one hot row. So one write runs at a
 * time, and whatever is added while it runs goes into the next as one row per stream and
 * country: a lone viewer is written at once, a burst in a few writes.
 *
 *   const countries = new ViewerCountryRepository(database.db);
 *   await countries.add(streamId, 'US');
 *   await countries.of(streamId);   // [{ country: 'US', viewers: 1 }], most viewers first
 */
export class ViewerCountryRepository {
  private readonly pending = new Map<string, PendingCount>();
  /** The write that has not started yet: every add until it starts goes into it. */
  private next: Promise<void> | undefined;
  /** The last write started or queued, settled either way: the next one waits for it. */
  private previous: Promise<void> = Promise.resolve();

  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  /** Settles when the write carrying this viewer has; it rejects if that write failed (the burst's counts are then lost, never a playlist). */
  add(streamId: string, country: string): Promise<void> {
    const key = `${streamId} ${country}`;
    const counted = this.pending.get(key);
    if (counted) counted.viewers += 1;
    else this.pending.set(key, { stream_id: streamId, country, viewers: 1 });
    this.next ??= this.queueWrite();
    return this.next;
  }

  async of(streamId: string): Promise<CountryViewers[]> {
    // What this node has been told is read back: the write carrying it has settled first.
    await (this.next ?? this.previous).catch(() => undefined);
    const rows = await this.db
      .selectFrom('stream_viewer_countries')
      .select(['country', 'viewers'])
      .where('stream_id', '=', streamId)
      .orderBy('viewers', 'desc')
      .orderBy('country')
      .execute();
    return rows.map((row) => ({ country: row.country, viewers: Number(row.viewers) }));
  }

  private queueWrite(): Promise<void> {
    const write = this.previous.then(() => {
      this.next = undefined;
      const rows = [...this.pending.values()];
      this.pending.clear();
      return this.write(rows);
    });
    this.previous = write.catch(() => undefined);
    return write;
  }

  private async write(rows: readonly PendingCount[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('stream_viewer_countries')
      .values(rows)
      .onConflict((conflict) =>
        conflict.columns(['stream_id', 'country']).doUpdateSet({ viewers: sql<number>`stream_viewer_countries.viewers + excluded.viewers` }),
      )
      .execute();
  }
}

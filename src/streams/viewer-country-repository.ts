import { sql, type Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';

export interface CountryViewers {
  /** ISO 3166 alpha-2, `ZZ` when the address was private or not in the database. */
  readonly country: string;
  readonly viewers: number;
}

/**
 * Viewer geography in the database: a count per stream and country, one more for every new
 * viewer session. The address a country came from is not stored.
 *
 *   const countries = new ViewerCountryRepository(database.db);
 *   await countries.add(streamId, 'US');
 *   await countries.of(streamId);   // [{ country: 'US', viewers: 1 }], most viewers first
 */
export class ViewerCountryRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async add(streamId: string, country: string): Promise<void> {
    await this.db
      .insertInto('stream_viewer_countries')
      .values({ stream_id: streamId, country, viewers: 1 })
      .onConflict((conflict) =>
        conflict.columns(['stream_id', 'country']).doUpdateSet({ viewers: sql<number>`stream_viewer_countries.viewers + 1` }),
      )
      .execute();
  }

  async of(streamId: string): Promise<CountryViewers[]> {
    const rows = await this.db
      .selectFrom('stream_viewer_countries')
      .select(['country', 'viewers'])
      .where('stream_id', '=', streamId)
      .orderBy('viewers', 'desc')
      .orderBy('country')
      .execute();
    return rows.map((row) => ({ country: row.country, viewers: Number(row.viewers) }));
  }
}

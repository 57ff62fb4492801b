import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { unixNow } from '../protocol/time.js';

/**
 * Remembers NIP-98 auth event ids for as long as they could still pass the time check, so a
 * captured `Authorization` header cannot be used twice.
 *
 *   if (!(await guard.claim(event.id, event.created_at))) refuse('already used');
 */
export interface ReplayGuard {
  /** True the first time an id is claimed; false for a replay. */
  claim(id: string, createdAt: number): Promise<boolean>;
}

/**
 * The guard in the service's database (SQLite or PostgreSQL): one claim is one insert, so it
 * holds across restarts and across every node sharing the database.
 *
 *   const guard = new SqlReplayGuard(database.db, 2 * NIP98_MAX_SKEW_SECONDS);
 */
export class SqlReplayGuard implements ReplayGuard {
  private nextPrune = 0;

  /** @param windowSeconds how long an auth event stays acceptable either side of now */
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly windowSeconds: number,
    private readonly now: () => number = unixNow,
  ) {}

  async claim(id: string, createdAt: number): Promise<boolean> {
    const now = this.now();
    await this.prune(now);
    // The expiry is measured from created_at: an event signed ahead of our clock stays
    // acceptable, so stays remembered, for longer.
    const inserted = await this.db
      .insertInto('nip98_claims')
      .values({ id, expires_at: Math.max(createdAt, now) + this.windowSeconds })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  private async prune(now: number): Promise<void> {
    if (now < this.nextPrune) return;
    this.nextPrune = now + this.windowSeconds;
    await this.db.deleteFrom('nip98_claims').where('expires_at', '<', now).execute();
  }
}

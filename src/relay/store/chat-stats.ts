import type { Kysely } from 'kysely';
import { KIND } from '../../protocol/kinds.js';
import type { DatabaseSchema } from '../../db/schema.js';

/**
 * Counts over a live event's chat (kind 1311 with its `a` coordinate), straight from the
 * relay's tag index: for metrics samples and a stream's analytics.
 *
 *   const chat = new ChatStats(database.db);
 *   await chat.count('30311:<pubkey>:<id>', since, until);
 */
export class ChatStats {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  /** Messages with `since <= created_at < until`. */
  async count(coordinate: string, since = 0, until = Number.MAX_SAFE_INTEGER): Promise<number> {
    const row = await this.chat(coordinate, since, until)
      .select((eb) => eb.fn.countAll<number | string>().as('messages'))
      .executeTakeFirstOrThrow();
    return Number(row.messages);
  }

  /** How many different people wrote in the chat. */
  async authors(coordinate: string): Promise<number> {
    const row = await this.chat(coordinate, 0, Number.MAX_SAFE_INTEGER)
      .innerJoin('nostr_events as e', 'e.id', 't.event_id')
      .select((eb) => eb.fn.count<number | string>('e.pubkey').distinct().as('authors'))
      .executeTakeFirstOrThrow();
    return Number(row.authors);
  }

  private chat(coordinate: string, since: number, until: number) {
    return this.db
      .selectFrom('nostr_tags as t')
      .where('t.name', '=', 'a')
      .where('t.value', '=', coordinate)
      .where('t.kind', '=', KIND.liveChat)
      .where('t.created_at', '>=', since)
      .where('t.created_at', '<', until);
  }
}

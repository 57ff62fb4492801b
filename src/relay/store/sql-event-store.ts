import { sql, type CompiledQuery, type Kysely, type Selectable, type Transaction } from 'kysely';
import { queryTemplate } from '../../db/query-template.js';
import type { DatabaseSchema, NostrEventsTable } from '../../db/schema.js';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import { unixNow } from '../../protocol/time.js';
import { expirationOf, replacementSlot, supersedes } from '../event-kinds.js';
import { INDEXED_TAG, isEmptyFilter, tagConditions, type Filter } from '../filter.js';
import type { EventStore, SaveResult } from './event-store.js';

/** Longest tag value kept in the index; longer ones stay in the event but cannot be filtered on. */
const MAX_INDEXED_VALUE = 512;
const DELETION_KIND = 5;

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

interface QueuedSave {
  readonly event: NostrEvent;
  resolve(result: SaveResult): void;
  reject(error: unknown): void;
}

/**
 * The relay's events in the service's own database (SQLite or PostgreSQL, through Kysely).
 * Saves are group-committed: those asked for while a write is under way (a burst from many
 * connections) are written next, together in one transaction, one after another as if
 * alone. A commit per event was most of the cost of ingest.
 *
 *   const store = new SqlEventStore(database.db);
 *   const { ok, message } = await store.save(event);
 */
export class SqlEventStore implements EventStore {
  private queued: QueuedSave[] = [];
  private writing = false;
  private readonly saving: ReturnType<typeof saveStatements>;

  constructor(private readonly db: Kysely<DatabaseSchema>) {
    this.saving = saveStatements(db);
  }

  save(event: NostrEvent): Promise<SaveResult> {
    return new Promise((resolve, reject) => {
      this.queued.push({ event, resolve, reject });
      if (this.writing) return;
      this.writing = true;
      // At the end of this turn of the event loop, so that the saves every connection asks for
      // in it (a worker's verdicts, a socket read's EVENTs) share one batch: asked for a
      // microtask later, a batch held four events on average and its commit was a quarter of ingest.
      setImmediate(() => void this.writeQueued());
    });
  }

  private async writeQueued(): Promise<void> {
    while (this.queued.length > 0) {
      const batch = this.queued;
      this.queued = [];
      await this.writeBatch(batch);
      // What was asked for meanwhile waits for the rest of the turn to join it.
      if (this.queued.length > 0) await new Promise((resolve) => setImmediate(resolve));
    }
    this.writing = false;
  }

  private async writeBatch(batch: readonly QueuedSave[]): Promise<void> {
    if (batch.length === 1) return this.saveAlone(batch[0] as QueuedSave);
    let results: SaveResult[];
    try {
      results = await this.db.transaction().execute(async (trx) => {
        const answers: SaveResult[] = [];
        for (const { event } of batch) answers.push(await this.saveIn(trx, event));
        return answers;
      });
    } catch {
      // The whole batch rolled back: each event alone, so that one's failure is only its own.
      for (const save of batch) await this.saveAlone(save);
      return;
    }
    batch.forEach((save, index) => save.resolve(results[index] as SaveResult));
  }

  private async saveAlone({ event, resolve, reject }: QueuedSave): Promise<void> {
    try {
      resolve(await this.saveOnce(event));
    } catch (error) {
      // Two writers raced for the same id or replaceable slot: the retry sees the winner.
      if (isUniqueViolation(error)) await this.saveOnce(event).then(resolve, reject);
      else reject(error);
    }
  }

  private saveOnce(event: NostrEvent): Promise<SaveResult> {
    return this.db.transaction().execute((trx) => this.saveIn(trx, event));
  }

  /** Every rule of saving one event, inside the caller's transaction. */
  private async saveIn(trx: Db, event: NostrEvent): Promise<SaveResult> {
    if (await this.isDeleted(trx, event.id, event.pubkey)) {
      return { ok: false, message: 'blocked: this event was deleted by its author' };
    }
    const existing = await trx.executeQuery(this.saving.storedId({ id: event.id }));
    if (existing.rows.length > 0) return { ok: true, message: 'duplicate: already have this event' };

    const slot = replacementSlot(event);
    if (slot !== null) {
      const refusal = await this.replaceSlot(trx, event, slot);
      if (refusal) return refusal;
    }
    if (event.kind === DELETION_KIND) await this.applyDeletion(trx, event);
    await this.insert(trx, event, slot);
    return { ok: true, message: '' };
  }

  /** Makes room for `event` in its (kind, pubkey, d) slot, or says why it cannot have it. */
  private async replaceSlot(trx: Db, event: NostrEvent, slot: string): Promise<SaveResult | undefined> {
    const coordinate = `${event.kind}:${event.pubkey}:${slot}`;
    const deletion = await trx
      .selectFrom('nostr_deletions')
      .select('deleted_at')
      .where('target', '=', coordinate)
      .where('pubkey', '=', event.pubkey)
      .executeTakeFirst();
    if (deletion && event.created_at <= deletion.deleted_at) {
      return { ok: false, message: 'blocked: this address was deleted by its author' };
    }
    const stored = await trx
      .selectFrom('nostr_events')
      .select(['id', 'created_at'])
      .where('kind', '=', event.kind)
      .where('pubkey', '=', event.pubkey)
      .where('slot', '=', slot)
      .executeTakeFirst();
    if (!stored) return undefined;
    if (!supersedes(event, stored)) {
      return { ok: false, message: 'duplicate: a newer version of this event is already stored' };
    }
    await trx.deleteFrom('nostr_events').where('id', '=', stored.id).execute();
    return undefined;
  }

  /** NIP-09: removes what the author asks to delete (theirs only) and remembers it. */
  private async applyDeletion(trx: Db, deletion: NostrEvent): Promise<void> {
    for (const [name, target] of deletion.tags) {
      if (name === 'e' && target && /^[0-9a-f]{64}$/.test(target)) {
        await trx
          .deleteFrom('nostr_events')
          .where('id', '=', target)
          .where('pubkey', '=', deletion.pubkey)
          .where('kind', '!=', DELETION_KIND)
          .execute();
        await this.remember(trx, target, deletion);
      } else if (name === 'a' && target) {
        const [kind, pubkey, ...rest] = target.split(':');
        if (pubkey !== deletion.pubkey || !/^\d+$/.test(kind ?? '')) continue;
        await trx
          .deleteFrom('nostr_events')
          .where('kind', '=', Number(kind))
          .where('pubkey', '=', deletion.pubkey)
          .where('slot', '=', rest.join(':'))
          .where('created_at', '<=', deletion.created_at)
          .execute();
        await this.remember(trx, target, deletion);
      }
    }
  }

  private async remember(trx: Db, target: string, deletion: NostrEvent): Promise<void> {
    await trx
      .insertInto('nostr_deletions')
      .values({ target, pubkey: deletion.pubkey, deleted_at: deletion.created_at })
      .onConflict((conflict) =>
        conflict.columns(['target', 'pubkey']).doUpdateSet({ deleted_at: deletion.created_at }).where('nostr_deletions.deleted_at', '<', deletion.created_at),
      )
      .execute();
  }

  private async isDeleted(trx: Db, id: string, pubkey: string): Promise<boolean> {
    return (await trx.executeQuery(this.saving.deletion({ id, pubkey }))).rows.length > 0;
  }

  private async insert(trx: Db, event: NostrEvent, slot: string | null): Promise<void> {
    const { id, pubkey, kind, created_at, content, sig } = event;
    await trx.executeQuery(this.saving.event({ id, pubkey, kind, created_at, content, tags: JSON.stringify(event.tags), sig, slot, expires_at: expirationOf(event) }));
    const indexed = new Map<string, { name: string; value: string }>();
    for (const [name, value] of event.tags) {
      if (name && value !== undefined && INDEXED_TAG.test(name) && value.length <= MAX_INDEXED_VALUE) {
        indexed.set(`${name}\u0000${value}`, { name, value });
      }
    }
    if (indexed.size === 0) return;
    const [only] = indexed.values();
    if (indexed.size === 1 && only) {
      await trx.executeQuery(this.saving.tag({ event_id: event.id, ...only, kind: event.kind, created_at: event.created_at }));
      return;
    }
    await trx
      .insertInto('nostr_tags')
      .values(
        [...indexed.values()].map(({ name, value }) => ({
          event_id: event.id,
          name,
          value,
          kind: event.kind,
          created_at: event.created_at,
        })),
      )
      .execute();
  }

  async query(filters: readonly Filter[], maxLimit: number): Promise<NostrEvent[]> {
    const now = unixNow();
    const batches = await Promise.all(filters.map((filter) => this.queryOne(filter, maxLimit, now)));
    const byId = new Map<string, NostrEvent>();
    for (const event of batches.flat()) byId.set(event.id, event);
    return [...byId.values()].sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? -1 : 1));
  }

  private async queryOne(filter: Filter, maxLimit: number, now: number): Promise<NostrEvent[]> {
    const query = this.select(filter, maxLimit, now);
    return query ? (await query.execute()).map(toEvent) : [];
  }

  /**
   * The SQL one filter runs as (undefined when it can match nothing), so that tests can
   * ask each engine how it would execute the product's queries (EXPLAIN).
   */
  compile(filter: Filter, maxLimit: number, now = unixNow()): CompiledQuery | undefined {
    return this.select(filter, maxLimit, now)?.compile();
  }

  private select(filter: Filter, maxLimit: number, now: number) {
    const limit = Math.min(filter.limit ?? maxLimit, maxLimit);
    // An empty list matches nothing, and `IN ()` is a syntax error on PostgreSQL.
    if (limit === 0 || isEmptyFilter(filter)) return undefined;
    let query = this.db
      .selectFrom('nostr_events as e')
      .selectAll('e')
      .where((eb) => eb.or([eb('e.expires_at', 'is', null), eb('e.expires_at', '>', now)]));
    if (filter.ids) query = query.where('e.id', 'in', [...filter.ids]);
    if (filter.authors) query = query.where('e.pubkey', 'in', [...filter.authors]);
    // Tag conditions find their events through the tag index (name, value, kind, created_at),
    // which carries each event's kind and time: a stream's chat is read from its own slice of
    // the index, not by walking every chat message of every stream. Kinds and time bounds then
    // go there only, so that the planner does not start from the events' kind index instead.
    const tags = tagConditions(filter);
    if (tags.length === 0) {
      if (filter.kinds) query = query.where('e.kind', 'in', [...filter.kinds]);
      if (filter.since !== undefined) query = query.where('e.created_at', '>=', filter.since);
      if (filter.until !== undefined) query = query.where('e.created_at', '<=', filter.until);
    }
    for (const [name, values] of tags) {
      let tagged = this.db
        .selectFrom('nostr_tags as t')
        .select('t.event_id')
        .where('t.name', '=', name)
        .where('t.value', 'in', [...values]);
      if (filter.kinds) tagged = tagged.where('t.kind', 'in', [...filter.kinds]);
      if (filter.since !== undefined) tagged = tagged.where('t.created_at', '>=', filter.since);
      if (filter.until !== undefined) tagged = tagged.where('t.created_at', '<=', filter.until);
      query = query.where('e.id', 'in', tagged);
    }
    return query.orderBy('e.created_at', 'desc').orderBy('e.id').limit(limit);
  }

  async storedBytes(pubkey: string, replacing?: { readonly kind: number; readonly slot: string }): Promise<number> {
    let query = this.db
      .selectFrom('nostr_events')
      .select(sql<number | string>`coalesce(sum(octet_length(content) + octet_length(tags)), 0)`.as('bytes'))
      .where('pubkey', '=', pubkey);
    if (replacing) {
      query = query.where((eb) => eb.or([eb('kind', '!=', replacing.kind), eb('slot', 'is', null), eb('slot', '!=', replacing.slot)]));
    }
    // PostgreSQL sums into a bigint, which its driver hands over as a string.
    return Number((await query.executeTakeFirst())?.bytes ?? 0);
  }

  async purgeExpired(now: number): Promise<number> {
    const result = await this.db
      .deleteFrom('nostr_events')
      .where('expires_at', 'is not', null)
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toEvent(row: Selectable<NostrEventsTable>): NostrEvent {
  return {
    id: row.id,
    pubkey: row.pubkey,
    kind: row.kind,
    created_at: row.created_at,
    content: row.content,
    tags: JSON.parse(row.tags) as string[][],
    sig: row.sig,
  };
}

function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const { code } = error as { code: unknown };
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * The statements every save runs, built once per database (their SQL is the dialect's): an
 * event with one indexed tag, most chat, runs no query that Kysely builds on the way.
 */
function saveStatements(db: Kysely<DatabaseSchema>) {
  return {
    deletion: queryTemplate<'id' | 'pubkey'>((mark) =>
      db.selectFrom('nostr_deletions').select('target').where('target', '=', mark.text('id')).where('pubkey', '=', mark.text('pubkey')).limit(1).compile(),
    ),
    storedId: queryTemplate<'id'>((mark) => db.selectFrom('nostr_events').select('id').where('id', '=', mark.text('id')).compile()),
    event: queryTemplate<'id' | 'pubkey' | 'kind' | 'created_at' | 'content' | 'tags' | 'sig' | 'slot' | 'expires_at'>((mark) =>
      db
        .insertInto('nostr_events')
        .values({
          id: mark.text('id'),
          pubkey: mark.text('pubkey'),
          kind: mark.number('kind'),
          created_at: mark.number('created_at'),
          content: mark.text('content'),
          tags: mark.text('tags'),
          sig: mark.text('sig'),
          slot: mark.text('slot'),
          expires_at: mark.number('expires_at'),
        })
        .compile(),
    ),
    tag: queryTemplate<'event_id' | 'name' | 'value' | 'kind' | 'created_at'>((mark) =>
      db
        .insertInto('nostr_tags')
        .values({ event_id: mark.text('event_id'), name: mark.text('name'), value: mark.text('value'), kind: mark.number('kind'), created_at: mark.number('created_at') })
        .compile(),
    ),
  };
}

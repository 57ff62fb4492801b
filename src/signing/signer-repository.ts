import type { Kysely } from 'kysely';
import type { VerifiedEvent } from 'nostr-tools/pure';
import type { DatabaseSchema } from '../db/schema.js';

/** A streamer-signed stream's NIP-46 session: enough to reconnect to the bunker after a restart. */
export interface BunkerSession {
  readonly clientSecret: string;
  readonly bunkerPubkey: string;
  readonly relays: readonly string[];
}

/**
 * The stored side of streamer signing: each stream's bunker session and the newest `ended`
 * 30311 its bunker signed ahead (the twin published when the bunker is gone at the end).
 *
 *   await signers.save(streamId, session);
 *   await signers.holdTwin(streamId, endedEvent);
 */
export class SignerRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async save(streamId: string, session: BunkerSession): Promise<void> {
    await this.db
      .insertInto('stream_signers')
      .values({
        stream_id: streamId,
        client_secret: session.clientSecret,
        bunker_pubkey: session.bunkerPubkey,
        relays: JSON.stringify(session.relays),
      })
      .execute();
  }

  async session(streamId: string): Promise<BunkerSession | undefined> {
    const row = await this.db
      .selectFrom('stream_signers')
      .select(['client_secret', 'bunker_pubkey', 'relays'])
      .where('stream_id', '=', streamId)
      .executeTakeFirst();
    return row && { clientSecret: row.client_secret, bunkerPubkey: row.bunker_pubkey, relays: JSON.parse(row.relays) as string[] };
  }

  async holdTwin(streamId: string, twin: VerifiedEvent): Promise<void> {
    await this.db.updateTable('stream_signers').set({ ended_twin: JSON.stringify(twin) }).where('stream_id', '=', streamId).execute();
  }

  async heldTwin(streamId: string): Promise<VerifiedEvent | undefined> {
    const row = await this.db.selectFrom('stream_signers').select('ended_twin').where('stream_id', '=', streamId).executeTakeFirst();
    return row?.ended_twin ? (JSON.parse(row.ended_twin) as VerifiedEvent) : undefined;
  }

  /** Every streamer-signed stream's id and author, for the relay to tell their coordinates apart. */
  async authors(): Promise<[string, string][]> {
    // Through stream_signers, which holds only streamer-signed streams: no scan of every stream.
    const rows = await this.db
      .selectFrom('stream_signers')
      .innerJoin('streams', 'streams.id', 'stream_signers.stream_id')
      .select(['streams.id as id', 'streams.pubkey as pubkey'])
      .execute();
    return rows.map((row) => [row.id, row.pubkey]);
  }
}

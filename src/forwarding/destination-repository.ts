import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { maskKey, type AddDestinationRequest } from '../protocol/destinations.js';
import type { SecretBox } from './secret-box.js';

/** A destination as stored, its key still sealed. */
export interface Destination {
  readonly id: string;
  readonly streamId: string;
  readonly name: string;
  readonly url: string;
  /** `••••abcd`: what may be shown. */
  readonly keyHint: string;
  readonly createdAt: number;
}

/**
 * The `stream_destinations` table. Keys go in sealed by the SecretBox and come out in the
 * clear only through `target`, for the ffmpeg that pushes there.
 *
 *   const destination = await destinations.add(streamId, { name: 'YouTube', url, key });
 *   const { url } = await destinations.target(destination);   // rtmp://…/live2/<key>
 */
export class DestinationRepository {
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly box: SecretBox,
  ) {}

  async add(streamId: string, request: AddDestinationRequest): Promise<Destination> {
    const row = {
      id: randomUUID(),
      stream_id: streamId,
      name: request.name,
      url: request.url,
      key_sealed: this.box.seal(request.key),
      key_hint: maskKey(request.key),
      created_at: Date.now(),
    };
    await this.db.insertInto('stream_destinations').values(row).execute();
    return fromRow(row);
  }

  async list(streamId: string): Promise<Destination[]> {
    const rows = await this.db.selectFrom('stream_destinations').selectAll().where('stream_id', '=', streamId).orderBy('created_at').orderBy('id').execute();
    return rows.map(fromRow);
  }

  async count(streamId: string): Promise<number> {
    const row = await this.db.selectFrom('stream_destinations').select((eb) => eb.fn.countAll<number | string>().as('n')).where('stream_id', '=', streamId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Whether a destination of this stream was removed. */
  async remove(streamId: string, id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('stream_destinations').where('stream_id', '=', streamId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The full push URL (server + key), and the key, so that what is logged can be cleaned of it. */
  async target(destination: Destination): Promise<{ url: string; key: string } | undefined> {
    const row = await this.db.selectFrom('stream_destinations').select('key_sealed').where('id', '=', destination.id).executeTakeFirst();
    if (!row) return undefined;
    const key = this.box.open(row.key_sealed);
    return { url: `${destination.url.replace(/\/+$/, '')}/${key}`, key };
  }
}

function fromRow(row: DatabaseSchema['stream_destinations']): Destination {
  return { id: row.id, streamId: row.stream_id, name: row.name, url: row.url, keyHint: row.key_hint, createdAt: Number(row.created_at) };
}

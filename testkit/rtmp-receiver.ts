import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { RtmpServer } from '../src/ingest/rtmp/rtmp-server.js';

/**
 * A second RTMP server for forwarding tests, built on our own ingest: it takes publishes with
 * one key only (any other is refused, as a platform refuses a wrong stream key) and writes what
 * arrives, as FLV, to a file that ffprobe can read.
 *
 *   const receiver = await RtmpReceiver.start('dest_key_1234');
 *   receiver.url;              // rtmp://127.0.0.1:<port>/live
 *   receiver.bytes();          // how much has arrived
 *   await probe(receiver.file);
 */
export class RtmpReceiver {
  private constructor(
    private readonly server: RtmpServer,
    readonly url: string,
    readonly file: string,
    private readonly dir: string,
    readonly publishes: { count: number },
  ) {}

  static async start(key: string): Promise<RtmpReceiver> {
    const dir = mkdtempSync(path.join(tmpdir(), 'wlk-receiver-'));
    const file = path.join(dir, 'received.flv');
    const publishes = { count: 0 };
    const server = new RtmpServer({
      logger: pino({ level: 'silent' }),
      authorize: async (given) => (given === key ? { ok: true, streamId: 'received' } : { ok: false, reason: 'Wrong stream key.' }),
      publish: (session) => {
        publishes.count += 1;
        // Each publish starts the file over with its own FLV header.
        session.flv.pipe(createWriteStream(file));
        return true;
      },
    });
    const address = await server.listen(0, '127.0.0.1');
    return new RtmpReceiver(server, `rtmp://127.0.0.1:${address.port}/live`, file, dir, publishes);
  }

  bytes(): number {
    try {
      return statSync(this.file).size;
    } catch {
      return 0;
    }
  }

  async close(): Promise<void> {
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

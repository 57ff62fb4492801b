import type { Logger } from 'pino';
import type { HolderRegistry } from '../cluster/holder-registry.js';
import type { StreamService } from '../streams/stream-service.js';
import type { Stream } from '../streams/stream.js';

/**
 * Streams the database says have an encoder attached cannot have one here after a restart:
 * they go through the same disconnect (a live one waits out the grace period for its encoder,
 * then ends with its final 30311). One already waiting has no status change to announce, so
 * its 30311 is published again here: the one signed at shutdown expires with the old grace.
 *
 * In a cluster only the streams this node held are its to reconcile: one another node holds
 * (its holder record is fresh) has its encoder there, and is left alone. One whose record
 * lapsed lost its holder for good (this node, or one that did not come back) and is
 * reconciled here; one this node held is held again, so the other nodes keep serving its
 * window from here while its encoder has the grace period to come back.
 */
export async function reconcileAfterRestart(
  streams: StreamService,
  republish: (stream: Stream) => Promise<void>,
  holders: HolderRegistry,
  logger: Pick<Logger, 'warn'>,
): Promise<void> {
  for (const stream of await streams.listAttached()) {
    let holder;
    try {
      holder = await holders.holderOf(stream.id);
    } catch (error) {
      logger.warn({ err: error, streamId: stream.id }, 'cannot tell which node holds the stream (Redis unreachable); leaving it as it is');
      continue;
    }
    if (holder && holder.id !== holders.self.id) continue;
    if (holder) await holders.claim(stream.id);
    if (stream.status === 'reconnecting') {
      streams.watchGracePeriod(stream);
      await republish(stream);
    } else {
      await streams.encoderDisconnected(stream.id);
    }
  }
}

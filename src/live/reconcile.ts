import type { StreamService } from '../streams/stream-service.js';
import type { Stream } from '../streams/stream.js';

/**
 * Streams the database says have an encoder attached cannot have one after a restart: they
 * go through the same disconnect (a live one waits out the grace period for its encoder,
 * then ends with its final 30311). One already waiting has no status change to announce, so
 * its 30311 is published again here: the one signed at shutdown expires with the old grace.
 */
export async function reconcileAfterRestart(streams: StreamService, republish: (stream: Stream) => Promise<void>): Promise<void> {
  for (const stream of await streams.listAttached()) {
    if (stream.status === 'reconnecting') {
      streams.watchGracePeriod(stream);
      await republish(stream);
    } else {
      await streams.encoderDisconnected(stream.id);
    }
  }
}

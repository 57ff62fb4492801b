import type { Logger } from 'pino';
import type { LiveEventPublisher } from '../publisher/live-event-publisher.js';
import type { Stream } from '../streams/stream.js';
import type { LiveReactions } from './stream-state.js';

export interface Announcements {
  readonly reactions: LiveReactions;
  /** Publishes the stream's live event again now; a failure is logged, never thrown. */
  republish(stream: Stream): Promise<void>;
}

/**
 * When a stream's live event (its kind 30311) is published again: on creation, on every status
 * change, and when what it says changes (an edit, the recording, the viewer counts, the track). The
 * publisher decides how soon.
 *
 *   const announce = announcements(publisher, logger);
 *   state.follow(announce.reactions);
 */
export function announcements(
  publisher: Pick<LiveEventPublisher, 'streamChanged' | 'statusChanged'>,
  logger: Pick<Logger, 'warn'>,
): Announcements {
  const failed = (error: unknown): void => logger.warn({ err: error }, 'publishing the live event failed');
  const republish = (stream: Stream): Promise<void> => publisher.streamChanged(stream).catch(failed);
  return {
    republish,
    reactions: {
      created: (stream) => void republish(stream),
      transition: (change) => void publisher.statusChanged(change).catch(failed),
      viewers: (stream) => void republish(stream),
      updated: (stream) => void republish(stream),
      track: (stream) => void republish(stream),
    },
  };
}

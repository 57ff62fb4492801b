import type { StreamState } from '../live/stream-state.js';
import { StreamCache } from '../origin/stream-cache.js';
import type { StreamRepository } from '../streams/stream-repository.js';
import type { StreamDirectory } from './policies/stream-directory.js';

/**
 * What the relay's policies know of the service's streams (who hosts, who moderates, whether
 * chat is on, whether it is private), read from the stream records. Every live chat message
 * asks, so a second's memory spares the database; an edit is seen at once.
 *
 *   startRelayService({ ..., streams: streamChatDirectory(repository, state) });
 */
export function streamChatDirectory(repository: StreamRepository, state: StreamState): StreamDirectory {
  const streams = new StreamCache((id) => repository.findById(id));
  state.follow({ updated: (stream) => streams.forget(stream.id) });
  return {
    find: async (streamId) => {
      const stream = await streams.get(streamId);
      return (
        stream && {
          chatEnabled: stream.enableChat,
          isPrivate: stream.visibility === 'private',
          host: stream.pubkey,
          moderators: stream.moderators,
        }
      );
    },
  };
}

import type { FastifyInstance } from 'fastify';
import type { StreamView } from '../../protocol/api-views.js';
import { nowPlayingRequestSchema } from '../../protocol/stream-settings.js';
import type { NowPlaying } from '../../streams/now-playing.js';
import type { Authenticator } from '../auth.js';
import type { StreamViewer } from '../stream-view.js';
import { parseInput } from '../validation.js';
import { streamIdParam } from './streams.js';

/**
 * `POST /api/v1/streams/<id>/now-playing` sets the track the streamer is playing (the body
 * `{title, artist?, link?}`); `DELETE` clears it. Both are the owner's (NIP-98) and answer
 * the stream as `/status` does.
 */
export function nowPlayingRoutes(app: FastifyInstance, nowPlaying: NowPlaying, auth: Authenticator, streamView: StreamViewer): void {
  const path = '/api/v1/streams/:id/now-playing';

  app.post(path, async (request): Promise<StreamView> => {
    const pubkey = await auth.required(request);
    const id = streamIdParam(request.params);
    const track = parseInput(nowPlayingRequestSchema, request.body, 'track');
    const stream = await nowPlaying.play(id, pubkey, track);
    request.log.info({ streamId: id }, 'now playing set');
    return streamView.one(stream, pubkey);
  });

  app.delete(path, async (request): Promise<StreamView> => {
    const pubkey = await auth.required(request);
    const stream = await nowPlaying.clear(streamIdParam(request.params), pubkey);
    request.log.info({ streamId: stream.id }, 'now playing cleared');
    return streamView.one(stream, pubkey);
  });
}

import type { FastifyInstance } from 'fastify';
import type { PlaybackTokens } from '../origin/playback-token.js';
import { streamNotFound } from '../streams/errors.js';
import type { StreamService } from '../streams/stream-service.js';
import type { Authenticator } from '../api/auth.js';
import { hiddenFrom, streamIdParam } from '../api/routes/streams.js';
import { coverCardPath, type Covers } from './covers.js';

/**
 * A card is the same until the title or host name changes, and then its ETag changes: caches
 * keep it for minutes and revalidate cheaply, so a new title shows within five minutes.
 */
const PUBLIC_CACHE = 'public, max-age=300, stale-while-revalidate=86400';
/** A private stream's card is for its owner and link holders only: no shared cache keeps it. */
const PRIVATE_CACHE = 'private, max-age=300';

/**
 * `GET /api/v1/streams/<id>/cover.png`: the stream's generated cover card, a 1280x720 PNG.
 * A private stream's card is not found, as its `/status` is, except for its owner (NIP-98)
 * and holders of its shared link (`?token=`).
 */
export function coverRoutes(app: FastifyInstance, service: StreamService, auth: Authenticator, tokens: PlaybackTokens, covers: Covers): void {
  app.get(coverCardPath(':id'), async (request, reply) => {
    const id = streamIdParam(request.params);
    const viewer = await auth.optional(request);
    const stream = await service.get(id);
    if (hiddenFrom(stream, viewer, request.query, tokens)) throw streamNotFound(id);
    const { png, key } = await covers.card(stream);
    const etag = `"${key}"`;
    reply.header('cache-control', stream.visibility === 'private' ? PRIVATE_CACHE : PUBLIC_CACHE).header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('image/png').send(png);
  });
}

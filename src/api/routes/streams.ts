import type { FastifyInstance } from 'fastify';
import { nip19 } from 'nostr-tools';
import { z } from 'zod';
import { CATEGORY_CHOICE_ERROR, CATEGORY_IDS } from '../../protocol/categories.js';
import { isHexPubkey } from '../../protocol/nostr-event.js';
import { STREAM_ID_PATTERN } from '../../protocol/stream-id.js';
import { createStreamRequestSchema, LIMITS, updateStreamRequestSchema } from '../../protocol/stream-settings.js';
import { notStreamOwner, streamNotFound } from '../../streams/errors.js';
import type { StreamAnalytics, StreamSummary } from '../../protocol/analytics.js';
import type { CreatedStream, StreamKeyView, StreamPage, UserStreamsPage } from '../../protocol/api-views.js';
import type { StreamService } from '../../streams/stream-service.js';
import type { Stream } from '../../streams/stream.js';
import type { PlaybackTokens } from '../../origin/playback-token.js';
import type { Authenticator } from '../auth.js';
import { badRequest } from '../errors.js';
import type { StreamViewer } from '../stream-view.js';
import { parseInput } from '../validation.js';

const pageSchema = {
  limit: z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be between 1 and 100')
    .max(100, 'limit must be between 1 and 100')
    .default(20),
  offset: z.coerce
    .number({ error: 'offset must be a number' })
    .int('offset must be a whole number')
    .min(0, 'offset must not be negative')
    .default(0),
};

const liveQuerySchema = z.object({
  category: z.enum(CATEGORY_IDS, { error: CATEGORY_CHOICE_ERROR }).optional(),
  tag: z
    .string()
    .trim()
    .toLowerCase()
    .max(LIMITS.tagMax, `tag must be at most ${LIMITS.tagMax} characters`)
    .optional(),
  ...pageSchema,
});

const userQuerySchema = z.object(pageSchema);

/** The `:id` of a stream route; an id that cannot be one is not found. */
export function streamIdParam(params: unknown): string {
  const id = (params as { id?: string }).id ?? '';
  if (!STREAM_ID_PATTERN.test(id)) throw streamNotFound(id);
  return id;
}

/** A hex pubkey, or an npub decoded to one. */
function pubkeyParam(value: string): string {
  if (isHexPubkey(value)) return value;
  if (value.startsWith('npub1')) {
    try {
      const decoded = nip19.decode(value);
      if (decoded.type === 'npub') return decoded.data;
    } catch {
      // falls through to the refusal below
    }
  }
  throw badRequest('invalid_pubkey', `${value} is not a pubkey: give 64 hex characters or an npub.`);
}

/** A private stream is invisible to everyone but its owner and holders of its shared link (`?token=`). */
export function hiddenFrom(stream: Stream, viewer: string | undefined, query: unknown, tokens: PlaybackTokens): boolean {
  if (stream.visibility !== 'private' || stream.pubkey === viewer) return false;
  const token = (query as { token?: unknown }).token;
  return !(typeof token === 'string' && tokens.verify(token, stream.id) !== undefined);
}

export function streamRoutes(
  app: FastifyInstance,
  service: StreamService,
  auth: Authenticator,
  streamView: StreamViewer,
  analytics: { full: (stream: Stream) => Promise<StreamAnalytics>; summary: (stream: Stream) => Promise<StreamSummary> },
  tokens: PlaybackTokens,
): void {
  app.post('/api/v1/streams/create', async (request, reply) => {
    const pubkey = await auth.required(request);
    const settings = parseInput(createStreamRequestSchema, request.body, 'stream settings');
    const { stream, streamKey } = await service.create(pubkey, settings);
    request.log.info({ streamId: stream.id, pubkey }, 'stream created');
    const created: CreatedStream = {
      stream_id: stream.id,
      stream_key: streamKey,
      rtmp_ingest: stream.rtmpIngestUrl,
      hls_playback: stream.hlsPlaybackUrl,
      stream: await streamView.one(stream, pubkey),
    };
    return reply.code(201).send(created);
  });

  app.post('/api/v1/streams/:id/start', async (request) => {
    const pubkey = await auth.required(request);
    const stream = await service.start(streamIdParam(request.params), pubkey);
    request.log.info({ streamId: stream.id }, 'stream started');
    return streamView.one(stream, pubkey);
  });

  app.post('/api/v1/streams/:id/stop', async (request) => {
    const pubkey = await auth.required(request);
    const stream = await service.stop(streamIdParam(request.params), pubkey);
    request.log.info({ streamId: stream.id }, 'stream stopped');
    return streamView.one(stream, pubkey);
  });

  app.patch('/api/v1/streams/:id', async (request) => {
    const pubkey = await auth.required(request);
    const update = parseInput(updateStreamRequestSchema, request.body, 'stream update');
    const stream = await service.update(streamIdParam(request.params), pubkey, update);
    request.log.info({ streamId: stream.id, fields: Object.keys(update) }, 'stream updated');
    return streamView.one(stream, pubkey);
  });

  for (const [action, paused] of [['pause', true], ['resume', false]] as const) {
    app.post(`/api/v1/streams/:id/${action}`, async (request) => {
      const pubkey = await auth.required(request);
      const stream = await service.setPaused(streamIdParam(request.params), pubkey, paused);
      request.log.info({ streamId: stream.id, paused }, `stream ${paused ? 'paused' : 'resumed'}`);
      return streamView.one(stream, pubkey);
    });
  }

  app.post('/api/v1/streams/:id/key', async (request): Promise<StreamKeyView> => {
    const pubkey = await auth.required(request);
    const { stream, streamKey } = await service.regenerateKey(streamIdParam(request.params), pubkey);
    request.log.info({ streamId: stream.id }, 'stream key regenerated');
    return { stream_id: stream.id, stream_key: streamKey, rtmp_ingest: stream.rtmpIngestUrl };
  });

  // Geography, watch time and the zappers are the streamer's own business: the owner only.
  app.get('/api/v1/streams/:id/analytics', async (request) => {
    const id = streamIdParam(request.params);
    const pubkey = await auth.required(request);
    const stream = await service.get(id);
    if (stream.pubkey !== pubkey) throw stream.visibility === 'private' ? streamNotFound(id) : notStreamOwner();
    return analytics.full(stream);
  });

  // What anyone who can see the stream may know of how it went.
  app.get('/api/v1/streams/:id/summary', async (request): Promise<StreamSummary> => {
    const id = streamIdParam(request.params);
    const viewer = await auth.optional(request);
    const stream = await service.get(id);
    if (hiddenFrom(stream, viewer, request.query, tokens)) throw streamNotFound(id);
    return analytics.summary(stream);
  });

  app.get('/api/v1/streams/:id/status', async (request) => {
    const id = streamIdParam(request.params);
    const viewer = await auth.optional(request);
    const stream = await service.get(id);
    if (hiddenFrom(stream, viewer, request.query, tokens)) throw streamNotFound(id);
    return streamView.one(stream, viewer);
  });

  app.get('/api/v1/streams/live', async (request): Promise<StreamPage> => {
    const { category, tag, limit, offset } = parseInput(liveQuerySchema, request.query, 'query');
    const page = await service.listWatchable({ category, tag: tag || undefined }, { limit, offset });
    return {
      streams: await streamView.page(page.streams, undefined),
      total: page.total,
      limit,
      offset,
    };
  });

  app.get('/api/v1/streams/user/:pubkey', async (request): Promise<UserStreamsPage> => {
    const pubkey = pubkeyParam((request.params as { pubkey: string }).pubkey);
    const { limit, offset } = parseInput(userQuerySchema, request.query, 'query');
    const viewer = await auth.optional(request);
    const isOwner = viewer === pubkey;
    const [page, current] = await Promise.all([
      service.listByUser(pubkey, isOwner, { limit, offset }),
      service.currentFor(pubkey, isOwner),
    ]);
    return {
      pubkey,
      current: current ? await streamView.one(current, viewer) : null,
      streams: await streamView.page(page.streams, viewer),
      total: page.total,
      limit,
      offset,
    };
  });
}

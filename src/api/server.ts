import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { StreamError, type StreamErrorKind } from '../streams/errors.js';
import { isStorageFull } from '../db/storage-full.js';
import type { PublishGate } from '../live/publish-gate.js';
import type { StreamService } from '../streams/stream-service.js';
import type { ClientAddresses } from '../abuse/client-address.js';
import type { Authenticator } from './auth.js';
import { ApiError, badRequest, dependencyUnavailable, type ErrorBody } from './errors.js';
import { bodyFault } from './json-body.js';
import { clientErrorHandler } from './client-errors.js';
import { guardConnections } from './connection-guard.js';
import './fastify-types.js';
import { publishCallbackRoutes } from './routes/publish-callback.js';
import { serviceInfoRoutes } from './routes/service-info.js';
import { nowPlayingRoutes } from './routes/now-playing.js';
import { streamRoutes } from './routes/streams.js';
import { calendarRoutes } from './routes/calendar.js';
import { streamView, type StreamViewer } from './stream-view.js';
import { webAppRoutes, wantsPage } from './web-app.js';
import { registerSecurity } from './security.js';
import { requestLogFields } from './request-log.js';
import type { IngestReading } from '../live/publishers.js';
import type { PlaybackLinks } from '../origin/playback-links.js';
import type { PlaybackTokens } from '../origin/playback-token.js';
import type { StreamAnalytics, StreamSummary } from '../protocol/analytics.js';
import type { ServiceInfo } from '../protocol/api-views.js';
import type { NowPlaying } from '../streams/now-playing.js';
import type { Stream } from '../streams/stream.js';
import type { Covers } from '../covers/covers.js';
import type { StreamSigning } from './stream-view.js';
import { unixNow } from '../protocol/time.js';
import { NO_ZAPS, type StreamZapFigures, type StreamZaps } from '../zaps/stream-zaps.js';
import { coverRoutes } from '../covers/cover-routes.js';
import { linkPreviewRoutes } from './link-preview/routes.js';
import type { PreviewSources } from './link-preview/stream-preview.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface ApiDependencies {
  readonly logger: FastifyBaseLogger;
  readonly service: StreamService;
  readonly nowPlaying: NowPlaying;
  readonly auth: Authenticator;
  readonly publishGate: PublishGate;
  readonly info: ServiceInfo;
  readonly playback: PlaybackLinks;
  readonly tokens: PlaybackTokens;
  readonly apiRequestsPerMinute: number;
  /** `TRUST_PROXY`: whose `X-Forwarded-For` decides `request.ip`. */
  readonly trustedProxies: readonly string[];
  readonly addresses: ClientAddresses;
  /** The live ingest figures of a stream whose encoder is connected to this node. */
  readonly ingestHealth: (streamId: string) => IngestReading | undefined;
  /** The owner's full analytics, and the public summary of how a stream went. */
  readonly analytics: { full: (stream: Stream) => Promise<StreamAnalytics>; summary: (stream: Stream) => Promise<StreamSummary> };
  /** The host's zap totals and goal progress, from the zap ledger. */
  readonly zaps: Pick<StreamZaps, 'figures' | 'of'>;
  /** A live stream's WHEP endpoint (`whep_url`); undefined while real-time playback is off. */
  readonly whepUrl?: ((streamId: string) => string) | undefined;
  /** Audio streams' pictures and generated cards. */
  readonly covers: Covers;
  /** Whose key signs each stream's 30311, and how its bunker answers. */
  readonly signers: StreamSigning;
  /** What a stream link's server-rendered preview (Open Graph, Twitter card) is read from. */
  readonly linkPreviews: PreviewSources;
  /** `HTTP_REQUEST_TIMEOUT_SECONDS`: how long a client has to send a whole request. */
  readonly requestTimeoutMs: number;
  /** `RATE_LIMIT_HTTP_PER_ADDRESS`: open connections per address. */
  readonly connectionsPerAddress: number;
}

const STATUS_OF: Record<StreamErrorKind, number> = { not_found: 404, forbidden: 403, conflict: 409, invalid: 400 };

/**
 * The HTTP server: REST API, health and info. Later components (HLS origin, relay,
 * web app) register on the same instance, so one port serves everything.
 */
export async function buildHttpServer(deps: ApiDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({}, { serializers: { req: requestLogFields } }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Believing X-Forwarded-For from anyone would let a client choose its own rate-limit bucket.
    trustProxy: deps.trustedProxies.length > 0 ? [...deps.trustedProxies] : false,
    return503OnClosing: true,
    // Slow clients: the whole request (headers and body) must arrive in time, checked often
    // enough to cut it off near the limit. Only receiving counts: a long download, a WebSocket
    // or a held-open response is not cut. Idle keep-alive connections close after Fastify's 72 s.
    requestTimeout: deps.requestTimeoutMs,
    http: {
      requestTimeout: deps.requestTimeoutMs,
      headersTimeout: deps.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(5000, Math.ceil(deps.requestTimeoutMs / 4)),
    },
    clientErrorHandler: clientErrorHandler(deps.requestTimeoutMs, deps.logger),
  });
  guardConnections(app.server, { logger: deps.logger, addresses: deps.addresses, perAddress: deps.connectionsPerAddress });

  // JSON and forms (nginx-rtmp's callback) only; anything else is a 415.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return done(badRequest('malformed_json', 'The request body is not valid JSON.'), undefined);
    }
    const fault = bodyFault(parsed);
    if (fault) return done(fault, undefined);
    done(null, parsed);
  });
  await app.register(formbody, { bodyLimit: BODY_LIMIT_BYTES });
  await registerSecurity(app, { apiRequestsPerMinute: deps.apiRequestsPerMinute });

  app.setErrorHandler((error: FastifyError | ApiError | StreamError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.status).headers(error.headers).send(errorBody(error.code, error.message));
    }
    if (error instanceof StreamError) {
      return reply.code(STATUS_OF[error.kind]).send(errorBody(error.code, error.message));
    }
    if (isStorageFull(error)) {
      request.log.error({ err: error }, 'disk full: a change could not be stored; free space in DATA_DIR (or on the PostgreSQL server) and the service carries on by itself');
      return reply
        .code(503)
        .header('retry-after', '30')
        .send(errorBody('storage_full', "The server's disk is full, so this could not be saved; try again in a few minutes."));
    }
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.code(status).send(errorBody(fastifyErrorCode(error), clientErrorMessage(error)));
    const unavailable = dependencyUnavailable(error);
    if (unavailable) {
      request.log.warn({ err: error }, `answered 503 ${unavailable.code}: check that the database is up and reachable`);
      return reply.code(503).headers(unavailable.headers).send(errorBody(unavailable.code, unavailable.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(500)
      .send(errorBody('internal_error', 'Something went wrong on our side; try again, and report it if it keeps happening.'));
  });

  const web = await webAppRoutes(app);
  app.decorate('sendWebApp', web.sendIndex);
  linkPreviewRoutes(app, deps.linkPreviews, web.sendIndex);
  app.setNotFoundHandler((request, reply) => {
    if (wantsPage(request)) return web.sendIndex(reply);
    return reply.code(404).send(errorBody('not_found', `Nothing at ${request.method} ${request.url.split('?')[0]}.`));
  });

  serviceInfoRoutes(app, deps.info);
  const build = async (stream: Stream, viewer: string | undefined, zaps: StreamZapFigures) =>
    streamView(stream, viewer, deps.playback, deps.ingestHealth(stream.id), await deps.covers.urlFor(stream), deps.signers, zaps, deps.whepUrl);
  const view: StreamViewer = {
    one: async (stream, viewer) => build(stream, viewer, await deps.zaps.of(stream, unixNow())),
    page: async (streams, viewer) => {
      const zaps = await deps.zaps.figures(streams, unixNow());
      return Promise.all(streams.map((stream) => build(stream, viewer, zaps.get(stream.id) ?? NO_ZAPS)));
    },
  };
  streamRoutes(app, deps.service, deps.auth, view, deps.analytics, deps.tokens);
  nowPlayingRoutes(app, deps.nowPlaying, deps.auth, view);
  coverRoutes(app, deps.service, deps.auth, deps.tokens, deps.covers);
  calendarRoutes(app, deps.service, deps.auth, deps.tokens, deps.linkPreviews.publicUrl);
  publishCallbackRoutes(app, deps.service, deps.publishGate, deps.addresses);
  return app;
}

function errorBody(error: string, message: string): ErrorBody {
  return { error, message };
}

function fastifyErrorCode(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'invalid_body';
    default:
      return 'bad_request';
  }
}

function clientErrorMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `The request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB.`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send the body as application/json.';
    default:
      return error.message;
  }
}

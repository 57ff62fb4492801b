import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { SEGMENT_AREAS } from '../segments/playback-paths.js';
import { ApiError } from './errors.js';

/** Playlists, segments and thumbnails: what players fetch, never an HTML page. */
const MEDIA_PREFIXES = SEGMENT_AREAS.map((area) => `/${area}/`);

/**
 * What every answer carries to protect browsers (security headers and a Content-Security-
 * Policy fitted to the web app: media from blob: for hls.js, relays over wss:, pictures
 * from anywhere), and the per-address limit on REST calls. The HLS origin's answers (`/hls`,
 * `/vod`) carry neither: the headers guard documents, players fetch media thousands of times
 * a second, and building them costs 2–3 % of each such request.
 *
 *   await registerSecurity(app, { apiRequestsPerMinute: 600 });
 */
export async function registerSecurity(app: FastifyInstance, options: { apiRequestsPerMinute: number }): Promise<void> {
  // Added before the plugins' own onRoute hooks, which read these route options.
  app.addHook('onRoute', (route) => {
    if (!MEDIA_PREFIXES.some((prefix) => route.url.startsWith(prefix))) return;
    route.helmet = false;
    route.config = { ...route.config, rateLimit: false };
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Radix positions popovers with inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:', 'http:'],
        mediaSrc: ["'self'", 'blob:', 'https:', 'http:'],
        connectSrc: ["'self'", 'ws:', 'wss:', 'https:', 'http:'],
        workerSrc: ["'self'", 'blob:'],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // Players on other sites fetch our playlists and segments.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, {
    max: options.apiRequestsPerMinute,
    timeWindow: 60_000,
    // Players, assets and probes are not API calls; the origin and relay have their own limits.
    allowList: (request) => !request.url.startsWith('/api/'),
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'rate_limited', `Too many requests from this address; try again in ${Math.ceil(context.ttl / 1000)} s.`, {
        'retry-after': String(Math.ceil(context.ttl / 1000)),
      }),
  });
}

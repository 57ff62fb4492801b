import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { decideAccess } from '../../origin/playback-access.js';
import type { PlaybackTokens } from '../../origin/playback-token.js';
import { STREAM_ID_PATTERN } from '../../protocol/stream-id.js';
import type { Stream } from '../../streams/stream.js';
import { OfferRefused } from '../../webrtc/whep-session.js';
import type { OpenOutcome, WhepSessions } from '../../webrtc/whep-sessions.js';

export interface WhepRouteOptions {
  /** Undefined when real-time is off (`WHEP_MAX_VIEWERS=0`): every offer is answered 503 realtime_off. */
  readonly sessions: WhepSessions | undefined;
  readonly findStream: (id: string) => Promise<Stream | undefined>;
  readonly tokens: PlaybackTokens;
  /** The rendition real-time viewers of a live stream watch, undefined for sound only (see realtimeVideoFeed). */
  readonly videoFeedOf: (streamId: string) => string | undefined;
  /** The stream's media is cut on this node (its ffmpeg runs here): else a session would never get any. */
  readonly hasMedia: (streamId: string, videoFeed: string | undefined) => boolean;
}

/** An offer is a few kilobytes; this leaves room for many codecs and candidates. */
const OFFER_LIMIT_BYTES = 64 * 1024;
const FULL_RETRY_SECONDS = 30;
const NO_MEDIA_RETRY_SECONDS = 5;

const paramsSchema = z.object({ id: z.string(), session: z.string().optional() });
const querySchema = z.object({ token: z.string().max(256).optional() }).loose();

export function whepPath(streamId: string): string {
  return `/api/v1/streams/${streamId}/whep`;
}

/**
 * WHEP (RFC 9725) for a live stream's real-time playback:
 * `POST /api/v1/streams/<id>/whep` with an SDP offer → 201, the answer and the session's
 * `Location`; `DELETE` that location ends it; `OPTIONS` for browsers' preflight. A private
 * stream takes the origin's playback token (`?token=`) and is otherwise not found, as on the origin.
 *
 *   whepRoutes(http, { sessions, findStream, tokens, videoFeedOf });
 */
export function whepRoutes(app: FastifyInstance, options: WhepRouteOptions): void {
  void app.register(async (scope) => {
    // The service parses JSON only; the offer is read as text here and its type checked below.
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: OFFER_LIMIT_BYTES }, (_request, body, done) => done(null, body));
    const path = '/api/v1/streams/:id/whep';

    scope.options(path, async (_request, reply) => preflight(reply));
    scope.options(`${path}/:session`, async (_request, reply) => preflight(reply));

    scope.post(path, async (request, reply) => {
      cors(reply);
      const { id } = paramsSchema.parse(request.params);
      const { token } = querySchema.parse(request.query);
      const stream = STREAM_ID_PATTERN.test(id) ? await options.findStream(id) : undefined;
      const access = decideAccess(stream, 'hls', token === undefined ? undefined : options.tokens.verify(token, id));
      if (!access.ok) return fail(reply, 404, access.error, access.message);
      if (!access.live) return fail(reply, 404, 'stream_not_live', 'This stream has ended; real-time playback is only for live streams.');
      if (!options.sessions) {
        return fail(reply, 503, 'realtime_off', 'Real-time playback is turned off on this service; play the HLS stream instead.');
      }
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/sdp') return fail(reply, 415, 'unsupported_media_type', 'Send the SDP offer with Content-Type: application/sdp.');
      const offer = typeof request.body === 'string' ? request.body : '';
      if (!/^v=0\r?\n/.test(offer) || !/\r?\nm=(audio|video) /.test(offer)) {
        return fail(reply, 400, 'invalid_offer', 'The body is not an SDP offer with audio or video (it should start with v=0).');
      }
      const videoFeed = options.videoFeedOf(id);
      if (!options.hasMedia(id, videoFeed)) {
        reply.header('Retry-After', String(NO_MEDIA_RETRY_SECONDS));
        return fail(reply, 503, 'realtime_unavailable', 'Real-time media for this stream is not available on this server right now; play the LL-HLS stream instead.');
      }
      let opened: OpenOutcome;
      try {
        opened = await options.sessions.open(id, videoFeed, offer);
      } catch (error) {
        if (!(error instanceof OfferRefused)) throw error;
        return fail(reply, 400, 'invalid_offer', `The offer could not be answered: ${error.message}.`);
      }
      if (!opened.ok) {
        reply.header('Retry-After', String(FULL_RETRY_SECONDS));
        return fail(reply, 503, 'realtime_full', `This stream has its ${options.sessions.maxPerStream} real-time viewers; play the LL-HLS stream instead, or try again later.`);
      }
      request.log.info({ streamId: id, session: opened.session.id }, 'real-time viewer joined');
      return reply
        .code(201)
        .header('Content-Type', 'application/sdp')
        .header('Location', `${whepPath(id)}/${opened.session.id}`)
        .send(opened.session.answer);
    });

    scope.delete(`${path}/:session`, async (request, reply) => {
      cors(reply);
      const { id, session } = paramsSchema.parse(request.params);
      if (!session || !(await options.sessions?.close(id, session))) {
        return fail(reply, 404, 'session_not_found', 'No real-time session with this id; it has ended already.');
      }
      request.log.info({ streamId: id, session }, 'real-time viewer left');
      return reply.code(204).send();
    });
  });
}

function cors(reply: FastifyReply): void {
  reply
    .header('Access-Control-Allow-Origin', '*')
    .header('Access-Control-Allow-Methods', 'POST, DELETE, OPTIONS')
    .header('Access-Control-Allow-Headers', 'Content-Type, Authorization')
    .header('Access-Control-Expose-Headers', 'Location, Retry-After');
}

function preflight(reply: FastifyReply) {
  cors(reply);
  return reply.header('Accept-Post', 'application/sdp').header('Access-Control-Max-Age', '86400').code(204).send();
}

function fail(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).header('Cache-Control', 'no-store').send({ error, message });
}

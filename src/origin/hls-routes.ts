import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { STREAM_ID_PATTERN } from '../protocol/stream-id.js';
import { RENDITION_PLAYLIST, SEGMENT_AREAS, type SegmentArea } from '../segments/playback-paths.js';
import type { SegmentStore, StoredFile } from '../segments/segment-store.js';
import { holdLimitMs, isSatisfied, isTooFarAhead, mediaPlaylistState, parseBlockingQuery, type BlockingRequest } from './blocking-reload.js';
import { cacheControlFor, isMultivariant, parseHlsPath, type HlsFile } from './hls-files.js';
import { decideAccess, streamEndedMessage } from './playback-access.js';
import type { PlaybackTokens } from './playback-token.js';
import { PlaylistHolds } from './playlist-holds.js';
import { PlaylistReader } from './playlist-reader.js';
import { withEndList, withQuery } from './playlist-rewrite.js';
import { anonymousSessionId, sessionCookie, sessionFromCookie, SESSION_ID_PATTERN } from './session-cookie.js';
import type { StreamCache } from './stream-cache.js';
import type { ViewerSessions } from './viewer-sessions.js';

export interface OriginOptions {
  /** Where the live output and recordings are. */
  readonly segments: SegmentStore;
  readonly streams: StreamCache;
  readonly tokens: PlaybackTokens;
  readonly viewers: ViewerSessions;
  /** Where held requests (blocking reloads, hinted parts) wait; the service wakes them when a stream ends. */
  readonly holds: PlaylistHolds;
  /** A new viewer session began from this client address (behind a trusted proxy, the forwarded one): for viewer geography. */
  readonly newViewer?: (streamId: string, address: string) => void;
  /** The request came through the nginx edge, whose access log counts its viewer (src/origin/edge-access-log.ts). */
  readonly countedAtEdge?: (request: FastifyRequest) => boolean;
}

const paramsSchema = z.object({ streamId: z.string(), '*': z.string() });
const querySchema = z
  .object({
    token: z.string().max(256).optional(),
    sid: z.string().regex(SESSION_ID_PATTERN).optional().catch(undefined),
  })
  .loose();

/**
 * The HLS origin: `/hls/<id>/…` (live) and `/vod/<id>/…` (recordings), with the content
 * types, cache headers and CORS players expect, and a JSON 404 for anything else.
 *
 *   hlsRoutes(app, { segments, streams: new StreamCache(find), tokens, viewers, holds: new PlaylistHolds(segments) });
 */
export function hlsRoutes(app: FastifyInstance, options: OriginOptions): void {
  const playlists = new PlaylistReader();
  for (const area of SEGMENT_AREAS) {
    app.options(`/${area}/*`, async (_request, reply) => {
      setCors(reply);
      reply.header('Access-Control-Max-Age', '86400').code(204).send();
    });
    app.get(`/${area}/:streamId/*`, (request, reply) => serve(area, request, reply, options, playlists));
  }
}

async function serve(
  area: SegmentArea,
  request: FastifyRequest,
  reply: FastifyReply,
  options: OriginOptions,
  playlists: PlaylistReader,
) {
  setCors(reply);
  const params = paramsSchema.parse(request.params);
  const { token, sid } = querySchema.parse(request.query);
  const file = parseHlsPath(params['*'].split('/'));
  if (!STREAM_ID_PATTERN.test(params.streamId) || !file) {
    return notFound(reply, 'invalid_path', 'Not a playlist, segment or thumbnail name this origin serves.');
  }
  const stream = await options.streams.get(params.streamId);
  const scope = token === undefined ? undefined : options.tokens.verify(token, params.streamId);
  const access = decideAccess(stream, area, scope);
  if (!access.ok) return notFound(reply, access.error, access.message);

  const blocking = parseBlockingQuery(request.query);
  if (!blocking.ok) return badRequest(reply, 'invalid_blocking_reload', blocking.message);
  const media = area === 'hls' && access.live && file.kind === 'playlist' && file.parts.length === 2 ? file.parts[0] : undefined;
  const held = { streamId: params.streamId, options, playlists };
  if (media !== undefined && blocking.request !== undefined) {
    const outcome = await holdPlaylist(held, media, file, blocking.request);
    if (outcome === 'too_far') {
      return badRequest(reply, 'msn_too_far_ahead', 'That segment is more than two past the last one in the playlist; reload it without _HLS_msn.');
    }
    if (outcome === 'timeout') return unavailable(reply, 'blocking_reload_timeout', 'The requested part did not appear in time; reload the playlist.');
  }
  let stored = await options.segments.file(area, params.streamId, file.parts);
  if (stored === undefined && area === 'hls' && access.live && file.kind === 'segment' && file.parts.length === 2) {
    stored = await holdHintedPart(held, file);
  }
  if (stored === undefined) {
    if (area === 'hls' && stream?.status === 'ended') return notFound(reply, 'stream_ended', streamEndedMessage(stream));
    return notFound(reply, 'file_not_found', liveFileMissing(file));
  }
  reply.header('Content-Type', file.contentType).header('Cache-Control', cacheControlFor(file, access.live, blocking.request !== undefined));
  if (file.kind === 'thumbnail') return reply.header('Content-Length', String(stored.size)).send(stored.read());

  // Neither the host's own preview nor a HEAD (a probe, a link checker) is a viewer: they are not counted nor given a session.
  const counted = access.live && scope !== 'preview' && request.method !== 'HEAD';
  // The multivariant playlist starts a playback session (the browser's again, after a reload); every rendition it lists carries its id.
  const session = counted ? (sid ?? sessionFromCookie(request.headers.cookie) ?? (isMultivariant(file) ? randomBytes(12).toString('base64url') : undefined)) : undefined;
  if (counted && !options.countedAtEdge?.(request) && options.viewers.touch(params.streamId, session ?? anonymousSession(request))) {
    options.newViewer?.(params.streamId, request.ip);
  }
  if (session !== undefined && isMultivariant(file)) reply.header('Set-Cookie', sessionCookie(session));
  if (file.kind === 'playlist') {
    const read = await playlists.read(`${area}/${params.streamId}/${file.parts.join('/')}`, () =>
      options.segments.readText(area, params.streamId, file.parts),
    );
    if (read === undefined) {
      return unavailable(reply, 'playlist_unavailable', 'This playlist could not be written completely; retry in a few seconds.');
    }
    // A request held through the end is answered with the ended playlist: the status is read again.
    const now = blocking.request === undefined ? stream : await options.streams.get(params.streamId);
    const ended = area === 'hls' && now?.status === 'ended' && !isMultivariant(file);
    const playlist = ended ? withEndList(read) : read;
    const query: Record<string, string> = {};
    if (token !== undefined) query.token = token;
    if (session !== undefined) query.sid = session;
    return reply.send(withQuery(playlist, query));
  }
  reply.header('Content-Length', String(stored.size));
  return reply.send(stored.read());
}

interface Held {
  readonly streamId: string;
  readonly options: OriginOptions;
  readonly playlists: PlaylistReader;
}

/** Holds a blocking reload until its playlist has the segment or part asked for, the stream ends, or the time runs out. */
async function holdPlaylist(held: Held, rendition: string, file: HlsFile, request: BlockingRequest): Promise<'ready' | 'too_far' | 'timeout'> {
  const { streamId, options, playlists } = held;
  const read = () => playlists.read(`hls/${streamId}/${file.parts.join('/')}`, () => options.segments.readText('hls', streamId, file.parts));
  const first = await read();
  if (first === undefined) return 'ready';
  const state = mediaPlaylistState(first);
  if (isTooFarAhead(state, request)) return 'too_far';
  const ready = await options.holds.until(
    streamId,
    rendition,
    async () => {
      const text = await read();
      if (text === undefined || isSatisfied(mediaPlaylistState(text), request)) return true;
      return (await options.streams.get(streamId))?.status === 'ended' ? true : undefined;
    },
    holdLimitMs(state),
  );
  return ready ? 'ready' : 'timeout';
}

/** A part the playlist hints at (hls.js asks for it before it exists) is answered the moment it is written. */
async function holdHintedPart(held: Held, file: HlsFile): Promise<StoredFile | undefined> {
  const { streamId, options, playlists } = held;
  const [rendition, name] = file.parts;
  if (rendition === undefined || name === undefined) return undefined;
  const playlistParts = [rendition, RENDITION_PLAYLIST];
  const text = await playlists.read(`hls/${streamId}/${playlistParts.join('/')}`, () => options.segments.readText('hls', streamId, playlistParts));
  const state = text === undefined ? undefined : mediaPlaylistState(text);
  if (state?.preloadHint !== name) return undefined;
  return options.holds.until(streamId, rendition, () => options.segments.file('hls', streamId, file.parts), holdLimitMs(state));
}

/** A player that fetched a media playlist directly, without a session id: one per address and browser. */
function anonymousSession(request: FastifyRequest): string {
  return anonymousSessionId(request.ip, request.headers['user-agent'] ?? '');
}

function setCors(reply: FastifyReply) {
  reply
    .header('Access-Control-Allow-Origin', '*')
    .header('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS')
    .header('Access-Control-Allow-Headers', 'Range')
    .header('Access-Control-Expose-Headers', 'Content-Length');
}

function badRequest(reply: FastifyReply, error: string, message: string) {
  return reply.code(400).header('Cache-Control', 'no-store').send({ error, message });
}

function unavailable(reply: FastifyReply, error: string, message: string) {
  return reply
    .code(503)
    .header('Content-Type', 'application/json; charset=utf-8')
    .header('Retry-After', '1')
    .header('Cache-Control', 'no-store')
    .send({ error, message });
}

function notFound(reply: FastifyReply, error: string, message: string) {
  return reply.code(404).header('Cache-Control', 'no-store').send({ error, message });
}

function liveFileMissing(file: HlsFile): string {
  if (file.kind === 'segment') return 'This segment is no longer in the live window; reload the playlist.';
  if (file.kind === 'thumbnail') return 'No thumbnail yet; one is taken every 30 seconds while the stream is live.';
  return 'The playlist is not ready yet; the first segments appear a few seconds after the encoder connects.';
}

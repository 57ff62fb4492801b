import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isHandover } from '../cluster/node.js';
import { STREAM_ID_PATTERN } from '../protocol/stream-id.js';
import { RENDITION_PLAYLIST, SEGMENT_AREAS, type SegmentArea } from '../segments/playback-paths.js';
import type { Readable } from 'node:stream';
import type { SegmentStore } from '../segments/segment-store.js';
import { holdLimitMs, isSatisfied, isTooFarAhead, mediaPlaylistState, parseBlockingQuery, type BlockingRequest } from './blocking-reload.js';
import { cacheControlFor, isMultivariant, parseHlsPath, type HlsFile } from './hls-files.js';
import { decideAccess, streamEndedMessage } from './playback-access.js';
import type { PlaybackTokens } from './playback-token.js';
import { PlaylistHolds } from './playlist-holds.js';
import { PlaylistReader } from './playlist-reader.js';
import { QueryRewriter, withEndList } from './playlist-rewrite.js';
import type { LiveWindowCache, LivePlaylist } from './live-window-cache.js';
import { anonymousSessionId, sessionCookie, sessionFromCookie, SESSION_ID_PATTERN } from './session-cookie.js';
import type { StreamCache } from './stream-cache.js';
import type { ViewerSessions } from './viewer-sessions.js';

export interface OriginOptions {
  /** Where the live output and recordings are. */
  readonly segments: SegmentStore;
  /** The live streams' playlists and segments in memory, filled as the writer finishes them. */
  readonly live: LiveWindowCache;
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

/** What the origin reads files with, per request: the live window from memory, the rest from the store. */
interface Readers {
  readonly options: OriginOptions;
  /** Playlists of ended streams and recordings, read from the store; never a broken one. */
  readonly playlists: PlaylistReader;
  readonly rewriter: QueryRewriter;
}

/**
 * The HLS origin: `/hls/<id>/…` (live) and `/vod/<id>/…` (recordings), with the content
 * types, cache headers and CORS players expect, and a JSON 404 for anything else. A live
 * stream's playlists and segments are served from memory (LiveWindowCache).
 *
 *   const live = new LiveWindowCache(segments);
 *   hlsRoutes(app, { segments, live, streams: new StreamCache(find), tokens, viewers, holds: new PlaylistHolds(live) });
 */
export function hlsRoutes(app: FastifyInstance, options: OriginOptions): void {
  const readers: Readers = { options, playlists: new PlaylistReader(), rewriter: new QueryRewriter() };
  for (const area of SEGMENT_AREAS) {
    app.options(`/${area}/*`, async (_request, reply) => {
      setCors(reply);
      reply.header('Access-Control-Max-Age', '86400').code(204).send();
    });
    app.get(`/${area}/:streamId/*`, (request, reply) => serve(area, request, reply, readers));
  }
}

async function serve(area: SegmentArea, request: FastifyRequest, reply: FastifyReply, readers: Readers) {
  const { options } = readers;
  setCors(reply);
  const params = paramsSchema.parse(request.params);
  const { token, sid } = querySchema.parse(request.query);
  const file = parseHlsPath(params['*'].split('/'));
  if (!STREAM_ID_PATTERN.test(params.streamId) || !file) {
    return notFound(reply, 'invalid_path', 'Not a playlist, segment or thumbnail name this origin serves.');
  }
  const streamId = params.streamId;
  const stream = await options.streams.get(streamId);
  const scope = token === undefined ? undefined : options.tokens.verify(token, streamId);
  const access = decideAccess(stream, area, scope);
  if (!access.ok) return notFound(reply, access.error, access.message);

  const blocking = parseBlockingQuery(request.query);
  if (!blocking.ok) return badRequest(reply, 'invalid_blocking_reload', blocking.message);
  const live = area === 'hls' && access.live;
  const media = live && file.kind === 'playlist' && file.parts.length === 2 ? file.parts[0] : undefined;
  if (media !== undefined && blocking.request !== undefined) {
    const outcome = await holdPlaylist(options, streamId, media, file, blocking.request);
    if (outcome === 'too_far') {
      return badRequest(reply, 'msn_too_far_ahead', 'That segment is more than two past the last one in the playlist; reload it without _HLS_msn.');
    }
    if (outcome === 'timeout') return unavailable(reply, 'blocking_reload_timeout', 'The requested part did not appear in time; reload the playlist.');
  }
  // A request held through the end is answered with the ended playlist (from the files): the status is read again.
  const now = blocking.request === undefined ? stream : await options.streams.get(streamId);
  const fromMemory = live && now?.status !== 'ended';
  const missing = () => {
    if (area === 'hls' && stream?.status === 'ended') return notFound(reply, 'stream_ended', streamEndedMessage(stream));
    return notFound(reply, 'file_not_found', liveFileMissing(file));
  };

  if (file.kind !== 'playlist') {
    let body = await readFile(readers, area, streamId, file, fromMemory);
    if (body === undefined && live && file.kind === 'segment' && file.parts.length === 2) body = await holdHintedPart(options, streamId, file);
    if (body === undefined) return missing();
    reply.header('Content-Type', file.contentType).header('Cache-Control', cacheControlFor(file, access.live, blocking.request !== undefined));
    if (file.kind !== 'thumbnail') countViewer(request, reply, options, streamId, file, access.live && scope !== 'preview', sid);
    return reply.header('Content-Length', String(body.size)).send(body.body);
  }

  const playlist = await readPlaylist(readers, area, streamId, file, fromMemory);
  if (playlist.status === 'missing') return missing();
  reply.header('Content-Type', file.contentType).header('Cache-Control', cacheControlFor(file, access.live, blocking.request !== undefined));
  const session = countViewer(request, reply, options, streamId, file, access.live && scope !== 'preview', sid);
  if (playlist.status === 'broken') {
    return unavailable(reply, 'playlist_unavailable', 'This playlist could not be written completely; retry in a few seconds.');
  }
  const ended = area === 'hls' && now?.status === 'ended' && !isMultivariant(file);
  const query: Record<string, string> = {};
  if (token !== undefined) query.token = token;
  if (session !== undefined) query.sid = session;
  return reply.send(readers.rewriter.rewrite(ended ? withEndList(playlist.text) : playlist.text, query));
}

/**
 * Counts the request's viewer and answers their session id (which the playlist's URIs then
 * carry). Neither the host's own preview, a HEAD (a probe, a link checker) nor another node copying the window is a viewer:
 * they are not counted nor given a session.
 */
function countViewer(
  request: FastifyRequest,
  reply: FastifyReply,
  options: OriginOptions,
  streamId: string,
  file: HlsFile,
  viewer: boolean,
  sid: string | undefined,
): string | undefined {
  if (!viewer || request.method === 'HEAD' || isHandover(request.headers)) return undefined;
  // The multivariant playlist starts a playback session (the browser's again, after a reload); every rendition it lists carries its id.
  const session = sid ?? sessionFromCookie(request.headers.cookie) ?? (isMultivariant(file) ? randomBytes(12).toString('base64url') : undefined);
  if (!options.countedAtEdge?.(request) && options.viewers.touch(streamId, session ?? anonymousSession(request))) {
    options.newViewer?.(streamId, request.ip);
  }
  if (session !== undefined && isMultivariant(file)) reply.header('Set-Cookie', sessionCookie(session));
  return session;
}

/** A file's body: a live stream's from memory, an ended stream's live window and thumbnails in one read, recordings streamed. */
async function readFile(
  readers: Readers,
  area: SegmentArea,
  streamId: string,
  file: HlsFile,
  fromMemory: boolean,
): Promise<{ size: number; body: Buffer | Readable } | undefined> {
  const { options } = readers;
  if (fromMemory && file.kind === 'segment') {
    const held = await options.live.file(streamId, file.parts);
    return held === undefined ? undefined : { size: held.size, body: held.bytes };
  }
  if (area === 'hls') {
    const bytes = await options.segments.readBytes(area, streamId, file.parts);
    return bytes === undefined ? undefined : { size: bytes.length, body: bytes };
  }
  const stored = await options.segments.file(area, streamId, file.parts);
  return stored === undefined ? undefined : { size: stored.size, body: stored.read() };
}

/** A playlist's whole text: a live stream's from memory, the others read from the store (the last whole one, if it was cut off). */
async function readPlaylist(readers: Readers, area: SegmentArea, streamId: string, file: HlsFile, fromMemory: boolean): Promise<LivePlaylist> {
  if (fromMemory) return readers.options.live.playlist(streamId, file.parts);
  const text = await readers.options.segments.readText(area, streamId, file.parts);
  if (text === undefined) return { status: 'missing' };
  const whole = await readers.playlists.read(`${area}/${streamId}/${file.parts.join('/')}`, async () => text);
  return whole === undefined ? { status: 'broken' } : { status: 'whole', text: whole };
}

/** Holds a blocking reload until its playlist (in the live window) has the segment or part asked for, the stream ends, or the time runs out. */
async function holdPlaylist(options: OriginOptions, streamId: string, rendition: string, file: HlsFile, request: BlockingRequest): Promise<'ready' | 'too_far' | 'timeout'> {
  const read = async () => {
    const playlist = await options.live.playlist(streamId, file.parts);
    return playlist.status === 'whole' ? playlist.text : undefined;
  };
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
async function holdHintedPart(options: OriginOptions, streamId: string, file: HlsFile): Promise<{ size: number; body: Buffer } | undefined> {
  const [rendition, name] = file.parts;
  if (rendition === undefined || name === undefined) return undefined;
  const playlist = await options.live.playlist(streamId, [rendition, RENDITION_PLAYLIST]);
  const state = playlist.status === 'whole' ? mediaPlaylistState(playlist.text) : undefined;
  if (state?.preloadHint !== name) return undefined;
  const held = await options.holds.until(streamId, rendition, () => options.live.file(streamId, file.parts), holdLimitMs(state));
  return held === undefined ? undefined : { size: held.size, body: held.bytes };
}

/** A player that fetched a media playlist directly, without a session id: one per address and browser. */
function anonymousSession(request: FastifyRequest): string {
  return anonymousSessionId(request.ip, request.headers['user-agent'] ?? '');
}

function setCors(reply: FastifyReply) {
  reply
    // Said here, not by the security headers (which media answers go without): players on any site may load these.
    .header('Cross-Origin-Resource-Policy', 'cross-origin')
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

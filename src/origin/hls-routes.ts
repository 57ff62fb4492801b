import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { cacheControlFor, isMultivariant, parseHlsPath, STREAM_ID, type HlsFile } from './hls-files.js';
import { decideAccess, streamEndedMessage, type PlaybackArea } from './playback-access.js';
import type { PlaybackTokens } from './playback-token.js';
import { PlaylistReader } from './playlist-reader.js';
import { withEndList, withQuery } from './playlist-rewrite.js';
import type { StreamCache } from './stream-cache.js';
import type { ViewerSessions } from './viewer-sessions.js';

export interface OriginOptions {
  /** `<dataDir>/hls/<id>/…` holds live output, `<dataDir>/vod/<id>/…` recordings. */
  readonly dataDir: string;
  readonly streams: StreamCache;
  readonly tokens: PlaybackTokens;
  readonly viewers: ViewerSessions;
}

const paramsSchema = z.object({ streamId: z.string(), '*': z.string() });
const querySchema = z
  .object({
    token: z.string().max(256).optional(),
    sid: z.string().regex(/^[A-Za-z0-9_-]{8,32}$/).optional().catch(undefined),
  })
  .loose();

/**
 * The HLS origin: `/hls/<id>/…` (live) and `/vod/<id>/…` (recordings), with the content
 * types, cache headers and CORS players expect, and a JSON 404 for anything else.
 *
 *   hlsRoutes(app, { dataDir, streams: new StreamCache(find), tokens });
 */
export function hlsRoutes(app: FastifyInstance, options: OriginOptions): void {
  const playlists = new PlaylistReader();
  for (const area of ['hls', 'vod'] as const) {
    app.options(`/${area}/*`, async (_request, reply) => {
      setCors(reply);
      reply.header('Access-Control-Max-Age', '86400').code(204).send();
    });
    app.get(`/${area}/:streamId/*`, (request, reply) => serve(area, request, reply, options, playlists));
  }
}

async function serve(
  area: PlaybackArea,
  request: FastifyRequest,
  reply: FastifyReply,
  options: OriginOptions,
  playlists: PlaylistReader,
) {
  setCors(reply);
  const params = paramsSchema.parse(request.params);
  const { token, sid } = querySchema.parse(request.query);
  const file = parseHlsPath(params['*'].split('/'));
  if (!STREAM_ID.test(params.streamId) || !file) {
    return notFound(reply, 'invalid_path', 'Not a playlist, segment or thumbnail name this origin serves.');
  }
  const stream = await options.streams.get(params.streamId);
  const scope = token === undefined ? undefined : options.tokens.verify(token, params.streamId);
  const access = decideAccess(stream, area, scope);
  if (!access.ok) return notFound(reply, access.error, access.message);

  const filePath = path.join(options.dataDir, area, params.streamId, ...file.parts);
  const size = await fileSize(filePath);
  if (size === undefined) {
    if (area === 'hls' && stream?.status === 'ended') return notFound(reply, 'stream_ended', streamEndedMessage(stream));
    return notFound(reply, 'file_not_found', liveFileMissing(file));
  }
  reply.header('Content-Type', file.contentType).header('Cache-Control', cacheControlFor(file, access.live));
  if (file.kind === 'thumbnail') return reply.header('Content-Length', String(size)).send(createReadStream(filePath));

  // The multivariant playlist starts a playback session; every rendition it lists carries its id.
  const session = sid ?? (isMultivariant(file) ? randomBytes(12).toString('base64url') : undefined);
  if (access.live) options.viewers.touch(params.streamId, session ?? anonymousSession(request));
  if (file.kind === 'playlist') {
    const read = await playlists.read(filePath);
    if (read === undefined) {
      return reply
        .code(503)
        .header('Content-Type', 'application/json; charset=utf-8')
        .header('Retry-After', '2')
        .header('Cache-Control', 'no-store')
        .send({ error: 'playlist_unavailable', message: 'This playlist could not be written completely; retry in a few seconds.' });
    }
    const ended = area === 'hls' && stream?.status === 'ended' && !isMultivariant(file);
    const playlist = ended ? withEndList(read) : read;
    const query: Record<string, string> = {};
    if (token !== undefined) query.token = token;
    if (session !== undefined && access.live) query.sid = session;
    return reply.send(withQuery(playlist, query));
  }
  reply.header('Content-Length', String(size));
  return reply.send(createReadStream(filePath));
}

/** A player that fetched a media playlist directly, without a session id: one per address and browser. */
function anonymousSession(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.ip}\n${request.headers['user-agent'] ?? ''}`)
    .digest('base64url')
    .slice(0, 16);
}

function setCors(reply: FastifyReply) {
  reply
    .header('Access-Control-Allow-Origin', '*')
    .header('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS')
    .header('Access-Control-Allow-Headers', 'Range')
    .header('Access-Control-Expose-Headers', 'Content-Length');
}

function notFound(reply: FastifyReply, error: string, message: string) {
  return reply.code(404).header('Cache-Control', 'no-store').send({ error, message });
}

async function fileSize(filePath: string): Promise<number | undefined> {
  try {
    const info = await stat(filePath);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

function liveFileMissing(file: HlsFile): string {
  if (file.kind === 'segment') return 'This segment is no longer in the live window; reload the playlist.';
  if (file.kind === 'thumbnail') return 'No thumbnail yet; one is taken every 30 seconds while the stream is live.';
  return 'The playlist is not ready yet; the first segments appear a few seconds after the encoder connects.';
}

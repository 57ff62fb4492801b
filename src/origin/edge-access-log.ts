import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { z } from 'zod';
import { STREAM_ID_PATTERN } from '../protocol/stream-id.js';
import { isMultivariant, parseHlsPath } from './hls-files.js';
import { decideAccess } from './playback-access.js';
import type { PlaybackTokens } from './playback-token.js';
import { anonymousSessionId, SESSION_ID_PATTERN } from './session-cookie.js';
import type { StreamCache } from './stream-cache.js';
import type { ViewerSessions } from './viewer-sessions.js';

/**
 * Viewer counts behind the nginx edge. The edge answers most playlist and segment requests
 * from its cache, so the origin no longer sees each viewer; instead the edge sends one syslog
 * line per playlist request (its `wavlake_viewers` log format, deploy/nginx/edge.conf.template:
 * a player reloads its playlist every part or segment, so those keep its session counted) to
 * the node's `EDGE_LOG_LISTEN`, and each line is counted as the origin would have counted the
 * request (a segment line, from an edge logging everything, counts as the origin's would). Requests the edge passes on carry `X-Wavlake-Counted: edge-log`, which the origin
 * then leaves to this log (else the edge's cache fills would count as one more viewer).
 *
 *   const log = await listenForEdgeLog({ host: '127.0.0.1', port: 5140 }, { streams, tokens, viewers, isTrustedSender, logger });
 *   await log.close();
 */
export interface EdgeLogOptions {
  readonly streams: StreamCache;
  readonly tokens: PlaybackTokens;
  readonly viewers: ViewerSessions;
  /** A new viewer session began from this client address: for viewer geography. */
  readonly newViewer?: (streamId: string, address: string) => void;
  /** Lines are believed only from these senders (this machine and `TRUST_PROXY`): anyone else could invent viewers. */
  readonly isTrustedSender: (address: string) => boolean;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

/** The header the edge sets on what it passes to the origin when its log does the counting. */
export const EDGE_COUNTED_HEADER = 'x-wavlake-counted';
export const EDGE_COUNTED_VALUE = 'edge-log';

/** One request as the edge logged it. nginx logs an unset variable as an empty string. */
const lineSchema = z.object({
  method: z.string(),
  uri: z.string().max(512),
  sid: z.string(),
  token: z.string().max(256),
  cookie: z.string(),
  address: z.string().refine((value) => isIP(value) !== 0),
  agent: z.string().max(1024),
  status: z.number().int(),
});
export type EdgeRequest = z.infer<typeof lineSchema>;

/** A syslog datagram (`<190>Dec  3 15:20:01 wavlake: {…}`) → the request it logs, if it is one of ours. */
export function parseEdgeLogLine(datagram: string): EdgeRequest | undefined {
  const start = datagram.indexOf('{');
  if (start < 0) return undefined;
  try {
    const parsed = lineSchema.safeParse(JSON.parse(datagram.slice(start)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const HLS_URI = /^\/hls\/([^/]+)\/(.+)$/;
const validSession = (value: string) => (SESSION_ID_PATTERN.test(value) ? value : undefined);

/**
 * Counts one logged request by the origin's own rules (src/origin/hls-routes.ts): a live
 * stream's playlists and segments, answered, fetched with GET, not the host's preview; the
 * session from `sid`, else the `wl_sid` cookie, else the address and browser. A multivariant
 * playlist without either is a new player whose session the origin has just made: the
 * rendition playlist it fetches next carries it, and is counted then.
 */
export async function countEdgeRequest(request: EdgeRequest, options: Omit<EdgeLogOptions, 'isTrustedSender' | 'logger'>): Promise<void> {
  if (request.method !== 'GET' || request.status >= 400) return;
  const match = HLS_URI.exec(request.uri);
  const streamId = match?.[1];
  const file = match?.[2] === undefined ? undefined : parseHlsPath(match[2].split('/'));
  if (streamId === undefined || !STREAM_ID_PATTERN.test(streamId) || file === undefined || file.kind === 'thumbnail') return;
  const scope = request.token === '' ? undefined : options.tokens.verify(request.token, streamId);
  const access = decideAccess(await options.streams.get(streamId), 'hls', scope);
  if (!access.ok || !access.live || scope === 'preview') return;
  const session =
    validSession(request.sid) ??
    validSession(request.cookie) ??
    (isMultivariant(file) ? undefined : anonymousSessionId(request.address, request.agent));
  if (session === undefined) return;
  if (options.viewers.touch(streamId, session)) options.newViewer?.(streamId, request.address);
}

export interface EdgeLog {
  /** The address the log is received on (the port is the one bound, for port 0). */
  readonly address: { readonly host: string; readonly port: number };
  close(): Promise<void>;
}

export async function listenForEdgeLog(listen: { host: string; port: number }, options: EdgeLogOptions): Promise<EdgeLog> {
  const socket: Socket = createSocket(isIP(listen.host) === 6 ? 'udp6' : 'udp4');
  let ignored = 0;
  socket.on('message', (message, sender) => {
    const request = options.isTrustedSender(sender.address) ? parseEdgeLogLine(message.toString('utf8')) : undefined;
    if (request === undefined) {
      // One warning, not one per datagram: a misconfigured sender would flood the log.
      if (ignored++ === 0) options.logger.warn({ sender: sender.address }, 'Ignoring an edge access-log datagram that is not from this machine or a TRUST_PROXY address, or not in the wavlake_viewers format of deploy/nginx/edge.conf.template');
      return;
    }
    countEdgeRequest(request, options).catch((error: unknown) => {
      options.logger.warn({ err: error, uri: request.uri }, 'Counting a viewer from the edge log failed (the stream lookup failed); the next request counts them');
    });
  });
  await new Promise<void>((resolve, reject) => {
    const refuse = (error: Error) =>
      reject(new Error(`EDGE_LOG_LISTEN=${listen.host}:${listen.port}: cannot receive the edge's log there (${error.message}); choose a free UDP port on this machine`));
    socket.once('error', refuse);
    socket.bind(listen.port, listen.host, () => {
      socket.off('error', refuse);
      resolve();
    });
  });
  socket.on('error', (error) => options.logger.warn({ err: error }, 'The edge access-log socket failed; viewers behind the edge are not counted until restart'));
  const bound = socket.address();
  options.logger.info({ host: bound.address, port: bound.port }, 'counting viewers behind the edge from its access log');
  return {
    address: { host: bound.address, port: bound.port },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

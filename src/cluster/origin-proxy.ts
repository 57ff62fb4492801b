import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { STREAM_ID_PATTERN } from '../protocol/stream-id.js';
import type { HolderRegistry } from './holder-registry.js';
import { EDGE_COUNTED_HEADER } from '../origin/edge-access-log.js';
import { fromAnotherNode, NODE_HEADER, type ClusterNode } from './node.js';

export interface OriginProxyOptions {
  readonly holders: HolderRegistry;
  readonly logger: Pick<Logger, 'warn'>;
  /**
   * How long the holder has to start answering. Longer than the longest blocking reload it
   * holds (three target durations), so a held LL-HLS request is answered, not cut off.
   */
  readonly timeoutMs?: number;
}

const HLS_PATH = /^\/hls\/([^/?#]+)\//;
/** What the viewer's request says that the holder's answer depends on; and that the edge counted it already (its cache fills are not viewers). */
const FORWARDED_REQUEST_HEADERS = ['accept', 'cookie', 'range', 'user-agent', 'if-none-match', 'if-modified-since', 'origin', EDGE_COUNTED_HEADER] as const;
/** What the holder's answer says that the player (or the edge's cache) needs. */
const PASSED_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'accept-ranges',
  'cache-control',
  'etag',
  'last-modified',
  'set-cookie',
  'retry-after',
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
] as const;

/**
 * Any node serves any stream: a request for `/hls/<id>/…` on a node that does not hold the
 * stream is streamed from the node that does, as it answers it (status, body, content type,
 * cache headers, the session cookie), query and all (LL-HLS blocking reloads included: the
 * holder holds them). The holder counts the viewer, as it does for its own requests: the
 * client's address goes along in `X-Forwarded-For`, which the holder believes when this node
 * is in its TRUST_PROXY. The request is marked as one node's to another (NODE_HEADER), and
 * a marked request is never passed on again, so two nodes that disagree cannot loop.
 *
 *   originProxy(http, { holders, logger });   // before the origin's routes are registered
 */
export function originProxy(http: FastifyInstance, options: OriginProxyOptions): void {
  // A join burst has hundreds of requests at the holder at once: with the default 256 idle
  // sockets kept, the rest were closed after each answer and opened again for the next.
  const pool = { keepAlive: true, maxFreeSockets: 2048 };
  const agents = { http: new HttpAgent(pool), https: new HttpsAgent(pool) };
  const timeoutMs = options.timeoutMs ?? 60_000;
  http.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const streamId = HLS_PATH.exec(request.url)?.[1];
    if (streamId === undefined || !STREAM_ID_PATTERN.test(streamId) || fromAnotherNode(request.headers)) return;
    if (options.holders.holds(streamId)) return;
    let holder: ClusterNode | undefined;
    try {
      holder = await options.holders.holderOf(streamId);
    } catch (error) {
      // Redis is out of reach: what this node has on its own disk is all it can serve.
      options.logger.warn({ err: error, streamId }, 'looking up the node holding the stream failed; serving from this node');
      return;
    }
    if (!holder || holder.id === options.holders.self.id) return;
    return forward(request, reply, holder, { self: options.holders.self, agents, timeoutMs, logger: options.logger, streamId });
  });
  http.addHook('onClose', async () => {
    agents.http.destroy();
    agents.https.destroy();
  });
}

interface ForwardContext {
  readonly self: ClusterNode;
  readonly agents: { readonly http: HttpAgent; readonly https: HttpsAgent };
  readonly timeoutMs: number;
  readonly logger: Pick<Logger, 'warn'>;
  readonly streamId: string;
}

async function forward(request: FastifyRequest, reply: FastifyReply, holder: ClusterNode, context: ForwardContext): Promise<FastifyReply> {
  const target = new URL(request.url, `${holder.url}/`);
  const secure = target.protocol === 'https:';
  const headers: Record<string, string> = { [NODE_HEADER]: context.self.id, 'x-forwarded-for': forwardedFor(request) };
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  let answer: IncomingMessage;
  try {
    answer = await new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = (secure ? httpsRequest : httpRequest)(target, {
        method: request.method,
        headers,
        agent: secure ? context.agents.https : context.agents.http,
        timeout: context.timeoutMs,
      });
      outgoing.once('response', resolve);
      outgoing.once('error', reject);
      // Destroyed before an answer (the player left): settles the wait, whether or not an error came first.
      outgoing.once('close', () => reject(new Error('the request to the holder closed before its answer')));
      outgoing.once('timeout', () => outgoing.destroy(new Error(`no answer within ${context.timeoutMs} ms`)));
      // A player that goes away (while the holder holds a blocking reload, say) frees the holder's side too.
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) outgoing.destroy();
      });
      outgoing.end();
    });
  } catch (error) {
    context.logger.warn({ err: error, streamId: context.streamId, holder: holder.id }, 'the node holding the stream did not answer; is it running, and is its NODE_URL reachable from here?');
    return reply
      .code(503)
      .header('Retry-After', '1')
      .header('Cache-Control', 'no-store')
      .header('Access-Control-Allow-Origin', '*')
      .send({ error: 'holder_unreachable', message: 'The node serving this stream did not answer; retry in a moment.' });
  }
  reply.code(answer.statusCode ?? 502);
  for (const name of PASSED_RESPONSE_HEADERS) {
    const value = answer.headers[name];
    if (value !== undefined) reply.header(name, value);
  }
  return reply.send(answer);
}

/** The viewer's address as the holder should see it: the chain so far, this node's peer last (as any proxy appends it). */
function forwardedFor(request: FastifyRequest): string {
  const chain = request.headers['x-forwarded-for'];
  const peer = request.raw.socket.remoteAddress ?? 'unknown';
  return typeof chain === 'string' && chain.trim() !== '' ? `${chain}, ${peer}` : peer;
}

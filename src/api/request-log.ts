import type { FastifyRequest } from 'fastify';
import { redactStreamKeysIn } from '../protocol/stream-key.js';

/**
 * What a request log line says about the request: Fastify's usual fields, with secrets
 * taken out of the URL. A share link's `?token=` opens a private stream and a stream key
 * publishes to one; neither may sit in a log file that more people read than should watch.
 *
 *   Fastify({ loggerInstance: logger.child({}, { serializers: { req: requestLogFields } }) });
 */
export function requestLogFields(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

const SECRET_QUERY = /([?&](?:token|key|name)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return redactStreamKeysIn(url.replace(SECRET_QUERY, '$1[redacted]'));
}

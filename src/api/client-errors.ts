import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { ErrorBody } from './errors.js';

/**
 * Answers what Node's HTTP parser refuses before any route sees it (a request that did not
 * arrive within the request timeout, headers too large, bytes that are not HTTP) in the
 * service's `{error, message}` shape, then closes the connection.
 *
 *   Fastify({ clientErrorHandler: clientErrorHandler(30_000, logger) });
 */
export function clientErrorHandler(requestTimeoutMs: number, logger: FastifyBaseLogger) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    // Reset by the client: nobody is left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, body] = answerFor(error.code, requestTimeoutMs);
    logger.debug({ err: error, remoteAddress: socket.remoteAddress, status }, 'HTTP client error');
    if (socket.writable) {
      const json = JSON.stringify(body);
      socket.write(
        `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
      );
    }
    socket.destroy();
  };
}

function answerFor(code: string | undefined, requestTimeoutMs: number): [string, ErrorBody] {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [
        '408 Request Timeout',
        {
          error: 'request_timeout',
          message: `The request did not arrive in full within ${requestTimeoutMs / 1000} s; send it again.`,
        },
      ];
    case 'HPE_HEADER_OVERFLOW':
      return ['431 Request Header Fields Too Large', { error: 'headers_too_large', message: 'The request headers are too large.' }];
    default:
      return ['400 Bad Request', { error: 'bad_request', message: 'The request is not valid HTTP/1.1.' }];
  }
}

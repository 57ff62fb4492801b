import type { FastifyRequest } from 'fastify';
import { NIP98_MAX_SKEW_SECONDS, verifyNip98 } from './nip98.js';
import { ReplayGuard } from './replay-guard.js';

/**
 * NIP-98 for the routes: who is calling, as a pubkey.
 *
 *   const pubkey = auth.required(request);          // 401 when missing or bad
 *   const viewer = auth.optional(request);          // undefined when no header is sent
 */
export interface Authenticator {
  required(request: FastifyRequest): string;
  optional(request: FastifyRequest): string | undefined;
}

export function createAuthenticator(publicUrl: string): Authenticator {
  // A replayed event must be refused for as long as its created_at would still pass.
  const replay = new ReplayGuard(2 * NIP98_MAX_SKEW_SECONDS);

  const required = (request: FastifyRequest) =>
    verifyNip98(
      request.headers.authorization,
      {
        method: request.method,
        urls: [`${publicUrl}${request.url}`, `${request.protocol}://${request.host}${request.url}`],
        body: request.rawBody,
      },
      replay,
    );

  return {
    required,
    optional: (request) => (request.headers.authorization ? required(request) : undefined),
  };
}

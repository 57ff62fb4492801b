import type { FastifyRequest } from 'fastify';
import { NIP98_MAX_SKEW_SECONDS, verifyNip98 } from './nip98.js';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { SqlReplayGuard } from './replay-guard.js';

/**
 * NIP-98 for the routes: who is calling, as a pubkey.
 *
 *   const pubkey = await auth.required(request);    // 401 when missing or bad
 *   const viewer = await auth.optional(request);    // undefined when no header is sent
 */
export interface Authenticator {
  required(request: FastifyRequest): Promise<string>;
  optional(request: FastifyRequest): Promise<string | undefined>;
}

/**
 * `publicUrls` are this service's own origins (`PUBLIC_URL` first, then `PUBLIC_URL_ALIASES`).
 * The Host header is never one of them: another instance of this service has the same paths,
 * so a header signed for it would pass here with `Host:` set to match.
 */
export function createAuthenticator(publicUrls: readonly string[], db: Kysely<DatabaseSchema>): Authenticator {
  // A replayed event must be refused for as long as its created_at would still pass.
  const replay = new SqlReplayGuard(db, 2 * NIP98_MAX_SKEW_SECONDS);

  const required = (request: FastifyRequest) =>
    verifyNip98(
      request.headers.authorization,
      { method: request.method, urls: publicUrls.map((origin) => `${origin}${request.url}`), body: request.rawBody },
      replay,
    );

  return {
    required,
    optional: async (request) => (request.headers.authorization ? required(request) : undefined),
  };
}

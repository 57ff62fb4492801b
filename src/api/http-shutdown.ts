import type { FastifyInstance } from 'fastify';

/** How long requests still in flight at shutdown may take to finish before they are cut. */
export const SHUTDOWN_DRAIN_MS = 5_000;

/**
 * Closes the HTTP server: it stops accepting, answers 503 to new requests on open
 * connections, lets in-flight requests finish for `drainMs`, then cuts whatever is left.
 * Fastify alone waits for every active request, and a download the client stopped reading
 * (or a body it never finishes sending) would hold a restart open for good.
 *
 *   parts.add({ close: () => closeHttp(http) });
 */
export async function closeHttp(http: FastifyInstance, drainMs = SHUTDOWN_DRAIN_MS): Promise<void> {
  const deadline = setTimeout(() => http.server.closeAllConnections(), drainMs);
  try {
    await http.close();
  } finally {
    clearTimeout(deadline);
  }
}

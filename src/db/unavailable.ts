/**
 * Whether an error means the database cannot be reached right now (down, restarting, cut
 * off, out of connections), as opposed to a query it refused. Such a failure is worth
 * retrying later, and the API answers it with 503 rather than 500.
 *
 *   try { await repository.findById(id) }
 *   catch (error) { if (isDatabaseUnavailable(error)) answer 503, retry later }
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (UNREACHABLE_MESSAGE.test(error.message)) return true;
  // Node reports a refused connection to every address of a host name as one AggregateError.
  if (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable)) return true;
  return error.cause !== undefined && isDatabaseUnavailable(error.cause);
}

/** Socket errors, and PostgreSQL's SQLSTATEs for a server that is going away or full. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  'SQLITE_BUSY', // another process holds the file's lock past busy_timeout
]);

/** What node-postgres and its pool throw, without a code, when the connection is lost or never made. */
const UNREACHABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout)/;

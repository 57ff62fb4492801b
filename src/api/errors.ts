import { isDatabaseUnavailable } from '../db/unavailable.js';

/**
 * The one error shape every endpoint answers with: `{ error, message }` and an HTTP status.
 *
 *   throw new ApiError(409, 'no_encoder', 'No encoder connected: …');
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
}

export const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);
export const badRequest = (code: string, message: string) => new ApiError(400, code, message);

/**
 * A failure of what the service depends on rather than of the request or the code: a 503
 * saying when to try again, never a 500. Undefined for anything else.
 */
export function dependencyUnavailable(error: unknown): ApiError | undefined {
  if (isDatabaseUnavailable(error)) {
    return new ApiError(
      503,
      'database_unavailable',
      'The database is unreachable right now; try again in a few seconds. Live streams keep playing meanwhile.',
      { 'retry-after': '5' },
    );
  }
  return undefined;
}

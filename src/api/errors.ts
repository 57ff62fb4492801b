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

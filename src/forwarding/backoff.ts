/** The first wait after a failure, and the longest. */
export const RETRY_FIRST_MS = 2_000;
export const RETRY_MAX_MS = 60_000;
/** Failures in a row after which a destination is given up (until the stream goes live again or the streamer retries). */
export const MAX_ATTEMPTS = 8;
/** A connection that stayed up this long was a success: the next failure starts the waits over. */
export const STABLE_MS = 30_000;

/**
 * How long to wait before attempt `failures + 1`, doubling from RETRY_FIRST_MS up to
 * RETRY_MAX_MS; undefined once MAX_ATTEMPTS failures in a row say to give up.
 *
 *   retryDelay(1);   // 2000
 *   retryDelay(3);   // 8000
 */
export function retryDelay(failures: number): number | undefined {
  if (failures >= MAX_ATTEMPTS) return undefined;
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1));
}

import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, RETRY_MAX_MS, retryDelay } from './backoff.js';

describe('forwarding retry waits', () => {
  it('double from 2 s, level off at a minute, and give up after MAX_ATTEMPTS failures in a row', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelay)).toEqual([2000, 4000, 8000, 16_000, 32_000, RETRY_MAX_MS, RETRY_MAX_MS]);
    expect(retryDelay(MAX_ATTEMPTS)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { afterFailure, attemptUrl, RETRY_EVERY_MS, RETRY_FOR_MS } from './retrying-picture';

const thumbnail = 'http://live.example/hls/abc/thumb.jpg';
const cover = 'http://elsewhere.example/cover.png';

describe('a picture that retries until it exists', () => {
  it('asks again with a fresh query each time, keeping any query it had', () => {
    expect(attemptUrl(thumbnail, 0)).toBe(thumbnail);
    expect(attemptUrl(thumbnail, 3)).toBe(`${thumbnail}?attempt=3`);
    expect(attemptUrl(`${thumbnail}?v=1`, 2)).toBe(`${thumbnail}?v=1&attempt=2`);
  });

  it('waits to ask for a live thumbnail again, rather than giving it up', () => {
    expect(afterFailure({ index: 1, attempt: 4, waiting: false }, thumbnail, thumbnail)).toEqual({ index: 1, attempt: 4, waiting: true });
  });

  it('gives way to the next source when the failed one is not a pending thumbnail', () => {
    expect(afterFailure({ index: 0, attempt: 0, waiting: false }, cover, thumbnail)).toEqual({ index: 1, attempt: 0, waiting: false });
    // Not live: nothing is about to be written.
    expect(afterFailure({ index: 0, attempt: 0, waiting: false }, thumbnail, undefined)).toEqual({ index: 1, attempt: 0, waiting: false });
  });

  it('stops asking once the time for a first thumbnail is past', () => {
    const last = RETRY_FOR_MS / RETRY_EVERY_MS;
    expect(afterFailure({ index: 0, attempt: last - 1, waiting: false }, thumbnail, thumbnail).waiting).toBe(true);
    expect(afterFailure({ index: 0, attempt: last, waiting: false }, thumbnail, thumbnail)).toEqual({ index: 1, attempt: 0, waiting: false });
  });
});

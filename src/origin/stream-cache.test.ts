import { describe, expect, it } from 'vitest';
import type { Stream } from '../streams/stream.js';
import { StreamCache } from './stream-cache.js';

const live = { id: 'stream-1', status: 'live' } as Stream;

/** A lookup whose next answers the test decides: a stream, or the database being away. */
function lookups() {
  const state = { calls: 0, down: false, stream: live as Stream | undefined };
  const load = async () => {
    state.calls += 1;
    if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    return state.stream;
  };
  return { state, load };
}

describe('StreamCache', () => {
  it('answers from memory within the time to live', async () => {
    const { state, load } = lookups();
    const cache = new StreamCache(load, 1000);
    await cache.get('stream-1');
    await cache.get('stream-1');
    expect(state.calls).toBe(1);
  });

  it('serves the last known stream when a lookup fails, and asks again after the time to live', async () => {
    const { state, load } = lookups();
    const cache = new StreamCache(load, 0);
    expect(await cache.get('stream-1')).toBe(live);
    state.down = true;
    expect(await cache.get('stream-1')).toBe(live);
    expect(await cache.get('stream-1')).toBe(live);
    expect(state.calls).toBe(3);
    // Back: the fresh answer replaces the stale one.
    state.down = false;
    state.stream = { ...live, status: 'ended' };
    expect((await cache.get('stream-1'))?.status).toBe('ended');
  });

  it('keeps serving the last known stream after forget, while lookups fail', async () => {
    const { state, load } = lookups();
    const cache = new StreamCache(load, 1000);
    await cache.get('stream-1');
    state.down = true;
    cache.forget('stream-1');
    expect(await cache.get('stream-1')).toBe(live);
  });

  it('passes a failure on when there is nothing known, and does not remember it', async () => {
    const { state, load } = lookups();
    state.down = true;
    const cache = new StreamCache(load, 1000);
    await expect(cache.get('stream-1')).rejects.toThrow(/ECONNREFUSED/);
    state.down = false;
    expect(await cache.get('stream-1')).toBe(live);
    expect(state.calls).toBe(2);
  });
});

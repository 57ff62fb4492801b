import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConnectionLimiter } from './connection-limiter.js';
import { RateLimiter } from './rate-limiter.js';

describe('rate limiter', () => {
  it('allows the limit per window, then says how long to wait, per key', () => {
    let now = 0;
    const limiter = new RateLimiter({ limit: 3, windowMs: 60_000 }, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(60);
    expect(limiter.take('b')).toBe(0);
    now = 45_000;
    expect(limiter.take('a')).toBe(15);
    now = 60_000;
    expect(limiter.take('a')).toBe(0);
  });
});

describe('connection limiter', () => {
  it('caps open connections per address and frees a slot on close', () => {
    const limiter = new ConnectionLimiter(2);
    expect([limiter.open('x'), limiter.open('x'), limiter.open('x')]).toEqual([true, true, false]);
    expect(limiter.open('y')).toBe(true);
    limiter.close('x');
    expect(limiter.open('x')).toBe(true);
  });

  it('holds a slot for as long as its socket is open, however it closes', async () => {
    const limiter = new ConnectionLimiter(1);
    const socket = new PassThrough();
    expect(limiter.hold('x', socket)).toBe(true);
    expect(limiter.hold('x', new PassThrough())).toBe(false);
    socket.destroy();
    await new Promise((resolve) => socket.once('close', resolve));
    const closed = new PassThrough();
    closed.destroy();
    expect(limiter.hold('x', closed)).toBe(true);
    expect(limiter.hold('x', new PassThrough())).toBe(true);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyAttemptLimiter } from './key-attempts.js';

const MINUTE = 60_000;

/** A limiter on a hand-moved clock: 10 wrong keys per 10 minutes, as the app configures it. */
function limiterWithClock(start = 1_700_000_000_000) {
  const clock = { now: start };
  const limiter = new KeyAttemptLimiter({ maxFailures: 10, windowMs: 10 * MINUTE, now: () => clock.now });
  return { limiter, clock };
}

function fail(limiter: KeyAttemptLimiter, address: string, times: number): void {
  for (let i = 0; i < times; i += 1) limiter.recordFailure(address);
}

describe('KeyAttemptLimiter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets an address with no failures try', () => {
    const { limiter } = limiterWithClock();
    expect(limiter.lockedFor('203.0.113.7')).toBe(0);
  });

  it('lets an address try while it has fewer than maxFailures wrong keys', () => {
    const { limiter } = limiterWithClock();
    fail(limiter, '203.0.113.7', 9);
    expect(limiter.lockedFor('203.0.113.7')).toBe(0);
  });

  it('locks the address out at the maxFailures-th wrong key within the window', () => {
    const { limiter, clock } = limiterWithClock();
    fail(limiter, '203.0.113.7', 5);
    clock.now += 4 * MINUTE;
    fail(limiter, '203.0.113.7', 5);
    expect(limiter.lockedFor('203.0.113.7')).toBeGreaterThan(0);
  });

  it('answers the seconds until the window (counted from the first failure) runs out', () => {
    const { limiter, clock } = limiterWithClock();
    fail(limiter, '203.0.113.7', 10);
    expect(limiter.lockedFor('203.0.113.7')).toBe(600);
    clock.now += 4 * MINUTE;
    expect(limiter.lockedFor('203.0.113.7')).toBe(360);
    clock.now += 1500;
    expect(limiter.lockedFor('203.0.113.7')).toBe(359); // 358.5 s left, rounded up
  });

  it('never answers 0 while locked: the last partial second rounds up to 1', () => {
    const { limiter, clock } = limiterWithClock();
    fail(limiter, '203.0.113.7', 10);
    clock.now += 10 * MINUTE - 1;
    expect(limiter.lockedFor('203.0.113.7')).toBe(1);
  });

  it('lets the address try again once the window has passed, with a fresh count', () => {
    const { limiter, clock } = limiterWithClock();
    fail(limiter, '203.0.113.7', 10);
    clock.now += 10 * MINUTE;
    expect(limiter.lockedFor('203.0.113.7')).toBe(0);
    fail(limiter, '203.0.113.7', 9);
    expect(limiter.lockedFor('203.0.113.7')).toBe(0);
    limiter.recordFailure('203.0.113.7');
    expect(limiter.lockedFor('203.0.113.7')).toBe(600);
  });

  it('forgets failures older than the window: they do not add up with new ones', () => {
    const { limiter, clock } = limiterWithClock();
    fail(limiter, '203.0.113.7', 9);
    clock.now += 10 * MINUTE + 1;
    fail(limiter, '203.0.113.7', 9);
    expect(limiter.lockedFor('203.0.113.7')).toBe(0);
  });

  it('does not lock out other addresses', () => {
    const { limiter } = limiterWithClock();
    fail(limiter, '203.0.113.7', 10);
    fail(limiter, '198.51.100.1', 9);
    expect(limiter.lockedFor('203.0.113.7')).toBe(600);
    expect(limiter.lockedFor('198.51.100.1')).toBe(0);
    expect(limiter.lockedFor('2001:db8::1')).toBe(0);
  });

  it('honours a different maxFailures and window', () => {
    let now = 0;
    const limiter = new KeyAttemptLimiter({ maxFailures: 3, windowMs: 30_000, now: () => now });
    fail(limiter, 'a', 2);
    expect(limiter.lockedFor('a')).toBe(0);
    limiter.recordFailure('a');
    expect(limiter.lockedFor('a')).toBe(30);
    now = 30_000;
    expect(limiter.lockedFor('a')).toBe(0);
  });

  it('keeps working under a flood of distinct addresses (expired ones are pruned, live ones kept)', () => {
    const { limiter, clock } = limiterWithClock();
    fail(limiter, 'attacker', 10);
    for (let i = 0; i < 10_050; i += 1) limiter.recordFailure(`10.0.${Math.floor(i / 256)}.${i % 256}`);
    expect(limiter.lockedFor('attacker')).toBe(600);
    clock.now += 10 * MINUTE;
    limiter.recordFailure('late');
    expect(limiter.lockedFor('attacker')).toBe(0);
    expect(limiter.lockedFor('10.0.0.1')).toBe(0);
  });

  it('reads Date.now when no clock is given', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2025-01-01T12:00:00Z'));
    const limiter = new KeyAttemptLimiter({ maxFailures: 10, windowMs: 10 * MINUTE });
    fail(limiter, '203.0.113.7', 10);
    expect(limiter.lockedFor('203.0.113.7')).toBe(600);
    vi.setSystemTime(new Date('2025-01-01T12:09:00Z'));
    expect(limiter.lockedFor('203.0.113.7')).toBe(60);
    vi.setSystemTime(new Date('2025-01-01T12:10:00Z'));
    expect(limiter.lockedFor('203.0.113.7')).toBe(0);
  });
});

describe('KeyAttemptLimiter lock-out length', () => {
  it('locks for a whole window from the failure that triggered the lock, however late in the window it came', () => {
    let now = 0;
    const limiter = new KeyAttemptLimiter({ maxFailures: 3, windowMs: 600_000, now: () => now });
    limiter.recordFailure('198.51.100.9');
    limiter.recordFailure('198.51.100.9');
    now = 599_000;
    limiter.recordFailure('198.51.100.9');
    expect(limiter.lockedFor('198.51.100.9')).toBe(600);
    now = 1_000_000;
    expect(limiter.lockedFor('198.51.100.9')).toBe(199);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplayGuard } from './replay-guard.js';

const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);
const T0 = 1_750_000_000;

/** A guard on a hand-moved clock (Unix seconds). */
function guardWithClock(windowSeconds = 120) {
  const clock = { now: T0 };
  return { guard: new ReplayGuard(windowSeconds, () => clock.now), clock };
}

describe('ReplayGuard', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('accepts an id the first time and refuses it the second time', () => {
    const { guard } = guardWithClock();
    expect(guard.claim(ID_A, T0)).toBe(true);
    expect(guard.claim(ID_A, T0)).toBe(false);
  });

  it('keeps refusing a replay however often it is tried', () => {
    const { guard } = guardWithClock();
    guard.claim(ID_A, T0);
    for (let i = 0; i < 5; i += 1) expect(guard.claim(ID_A, T0)).toBe(false);
  });

  it('refuses a replay even when it claims another created_at', () => {
    const { guard } = guardWithClock();
    guard.claim(ID_A, T0);
    expect(guard.claim(ID_A, T0 + 30)).toBe(false);
  });

  it('tells different ids apart', () => {
    const { guard } = guardWithClock();
    expect(guard.claim(ID_A, T0)).toBe(true);
    expect(guard.claim(ID_B, T0)).toBe(true);
    expect(guard.claim(ID_B, T0)).toBe(false);
  });

  it('still refuses a replay for the whole window after created_at', () => {
    const { guard, clock } = guardWithClock(120);
    guard.claim(ID_A, T0);
    for (const later of [1, 60, 119, 120]) {
      clock.now = T0 + later;
      expect(guard.claim(ID_A, T0), `${later} s later`).toBe(false);
    }
  });

  it('forgets an id once its window has passed', () => {
    const { guard, clock } = guardWithClock(120);
    guard.claim(ID_A, T0);
    clock.now = T0 + 121;
    expect(guard.claim(ID_A, T0)).toBe(true);
    expect(guard.claim(ID_A, T0)).toBe(false);
  });

  it('measures expiry from the event created_at, not from when it was claimed', () => {
    const { guard, clock } = guardWithClock(120);
    // An event signed 50 s in the future is remembered until created_at + window.
    guard.claim(ID_A, T0 + 50);
    clock.now = T0 + 121;
    expect(guard.claim(ID_B, T0 + 121)).toBe(true); // triggers a prune
    expect(guard.claim(ID_A, T0 + 50)).toBe(false);
    // Pruning runs at most once per window, so the id is forgotten by the prune after T0 + 170.
    clock.now = T0 + 241;
    expect(guard.claim(ID_A, T0 + 50)).toBe(true);
  });

  it('forgets lazily: an expired id may be refused until the next prune, never accepted early', () => {
    const { guard, clock } = guardWithClock(120);
    guard.claim(ID_A, T0); // prune at T0; next at T0 + 120
    clock.now = T0 + 100;
    guard.claim(ID_B, T0 + 100); // remembered until T0 + 220
    clock.now = T0 + 121; // prune: ID_A goes, ID_B stays (next prune at T0 + 241)
    expect(guard.claim(ID_A, T0)).toBe(true);
    clock.now = T0 + 230; // ID_B expired at T0 + 220 but no prune is due yet
    expect(guard.claim(ID_B, T0 + 100)).toBe(false);
    clock.now = T0 + 241;
    expect(guard.claim(ID_B, T0 + 100)).toBe(true);
  });

  it('expires some entries while keeping younger ones', () => {
    const { guard, clock } = guardWithClock(60);
    guard.claim(ID_A, T0);
    clock.now = T0 + 50;
    guard.claim(ID_B, T0 + 50);
    clock.now = T0 + 70;
    expect(guard.claim(ID_A, T0)).toBe(true);
    expect(guard.claim(ID_B, T0 + 50)).toBe(false);
  });

  it('reads the system clock (Unix seconds) when none is given', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0 * 1000);
    const guard = new ReplayGuard(120);
    expect(guard.claim(ID_A, T0)).toBe(true);
    vi.setSystemTime((T0 + 100) * 1000);
    expect(guard.claim(ID_A, T0)).toBe(false);
    vi.setSystemTime((T0 + 121) * 1000);
    expect(guard.claim(ID_A, T0)).toBe(true);
  });
});

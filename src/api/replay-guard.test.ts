import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScratch, type ScratchService } from '../../testkit/scratch.js';
import type { Database } from '../db/database.js';
import { SqlReplayGuard } from './replay-guard.js';

const T0 = 1_750_000_000;
let nextId = 0;
/** A fresh 64-hex id per call, so tests sharing one database never collide. */
const freshId = () => (nextId += 1).toString(16).padStart(64, 'c');

describe.each(['sqlite', 'postgres'] as const)('SqlReplayGuard on %s', (engine) => {
  let scratch: ScratchService;
  let database: Database;

  beforeAll(async () => {
    scratch = await openScratch(engine);
    ({ database } = scratch);
  });
  afterAll(async () => {
    await scratch.close();
  });

  /** A guard on a hand-moved clock (Unix seconds). */
  function guardWithClock(windowSeconds = 120) {
    const clock = { now: T0 };
    return { guard: new SqlReplayGuard(database.db, windowSeconds, () => clock.now), clock };
  }

  it('accepts an id the first time and refuses it every time after, whatever created_at it claims', async () => {
    const { guard } = guardWithClock();
    const id = freshId();
    expect(await guard.claim(id, T0)).toBe(true);
    for (let i = 0; i < 3; i += 1) expect(await guard.claim(id, T0)).toBe(false);
    expect(await guard.claim(id, T0 + 30)).toBe(false);
  });

  it('tells different ids apart', async () => {
    const { guard } = guardWithClock();
    const [a, b] = [freshId(), freshId()];
    expect(await guard.claim(a, T0)).toBe(true);
    expect(await guard.claim(b, T0)).toBe(true);
    expect(await guard.claim(b, T0)).toBe(false);
  });

  it('refuses a replay through another guard on the same database (another node, or after a restart)', async () => {
    const id = freshId();
    expect(await guardWithClock().guard.claim(id, T0)).toBe(true);
    expect(await guardWithClock().guard.claim(id, T0)).toBe(false);
  });

  it('still refuses a replay for the whole window after created_at, and forgets it after', async () => {
    const { guard, clock } = guardWithClock(120);
    const id = freshId();
    await guard.claim(id, T0);
    for (const later of [1, 60, 119, 120]) {
      clock.now = T0 + later;
      expect(await guard.claim(id, T0), `${later} s later`).toBe(false);
    }
    // After the window the time check refuses the event anyway, so its row goes at the next
    // prune (they run once per window: the claim at T0 + 120 ran one).
    clock.now = T0 + 240;
    await guard.claim(freshId(), T0 + 240);
    const left = await database.db.selectFrom('nip98_claims').select('id').where('id', '=', id).execute();
    expect(left).toEqual([]);
  });

  it('measures expiry from a created_at ahead of the clock', async () => {
    const { guard, clock } = guardWithClock(120);
    const id = freshId();
    await guard.claim(id, T0 + 50);
    clock.now = T0 + 160;
    expect(await guard.claim(id, T0 + 50)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from './coordinate.js';
import type { Moderation, ModerationAction } from './moderation.js';
import { ModerationState } from './moderation-state.js';

const stream = liveEventCoordinate('a'.repeat(64), 'stream-1');
const HOST = 'b'.repeat(64);
const MOD = 'c'.repeat(64);
const TROLL = 'd'.repeat(64);
let next = 0;
const event = (action: ModerationAction, createdAt: number, moderator = HOST): Moderation => ({
  id: (next++).toString(16).padStart(64, '0'),
  moderator,
  createdAt,
  stream,
  action,
});

describe('a chat\'s moderation state', () => {
  it('lets the newest ban or unban decide, whatever order they arrive in', () => {
    const state = new ModerationState();
    state.apply(event({ type: 'unban', user: TROLL }, 200));
    state.apply(event({ type: 'ban', user: TROLL }, 100));
    expect(state.bannedUntil(TROLL, 300)).toBeUndefined();
    state.apply(event({ type: 'ban', user: TROLL, until: 1000 }, 300));
    expect(state.bannedUntil(TROLL, 400)).toBe(1000);
    expect(state.bans(400).map((ban) => ban.until)).toEqual([1000]);
    // A time-out that has run out is no ban.
    expect(state.bans(1000)).toEqual([]);
    expect(state.bannedUntil(TROLL, 1000)).toBeUndefined();
  });

  it('breaks a same-second tie by arrival, as a relay replays its store', () => {
    const state = new ModerationState();
    state.apply(event({ type: 'ban', user: TROLL }, 100));
    state.apply(event({ type: 'unban', user: TROLL }, 100));
    expect(state.bannedUntil(TROLL, 100)).toBeUndefined();
  });

  it('restores removed messages when their removal\'s author deletes it, and only then', () => {
    const state = new ModerationState();
    const removal = event({ type: 'remove', messages: ['1'.repeat(64), '2'.repeat(64)] }, 100, MOD);
    state.apply(removal);
    expect(state.apply(removal)).toBe(false);
    expect([...state.removed]).toEqual(['1'.repeat(64), '2'.repeat(64)]);
    expect(state.removals.map((entry) => entry.id)).toEqual([removal.id]);

    expect(state.withdraw({ author: HOST, events: [removal.id] })).toBe(false);
    expect(state.removed.size).toBe(2);
    expect(state.withdraw({ author: MOD, events: [removal.id] })).toBe(true);
    expect(state.removed.size).toBe(0);
    expect(state.removals).toEqual([]);
  });

  it('undoes a ban whose event its author deletes, back to the ban before it', () => {
    const state = new ModerationState();
    state.apply(event({ type: 'ban', user: TROLL, until: 5000 }, 100));
    const forGood = event({ type: 'ban', user: TROLL }, 200);
    state.apply(forGood);
    expect(state.bannedUntil(TROLL, 300)).toBe(Number.POSITIVE_INFINITY);
    state.withdraw({ author: HOST, events: [forGood.id] });
    expect(state.bannedUntil(TROLL, 300)).toBe(5000);
  });
});

import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { formatCoordinate, liveEventCoordinate } from './coordinate.js';
import { buildZapGoal, goalProgress, parseZapGoal, type ZapGoal } from './zap-goal.js';

const streamer = generateSecretKey();
const stream = liveEventCoordinate(getPublicKey(streamer), 'stream-1');
const relays = ['ws://127.0.0.1:7777', 'wss://relay.example'];

describe('NIP-75 zap goals', () => {
  it('builds a kind 9041 with amount, relays, the stream and the description as content', () => {
    const template = buildZapGoal({ amountMsats: 200_000, description: 'New mic', relays, stream, closedAt: 1_900_000_000 }, 100);
    expect(template).toEqual({
      kind: 9041,
      created_at: 100,
      content: 'New mic',
      tags: [
        ['amount', '200000'],
        ['relays', ...relays],
        ['a', formatCoordinate(stream)],
        ['closed_at', '1900000000'],
      ],
    });
    expect(buildZapGoal({ amountMsats: 1000, description: '', relays }, 100).tags).toEqual([['amount', '1000'], ['relays', ...relays]]);
  });

  it('parses a signed goal back', () => {
    const event = finalizeEvent(buildZapGoal({ amountMsats: 200_000, description: 'New mic', relays, stream }, 100), streamer);
    expect(parseZapGoal(event)).toEqual({
      ok: true,
      value: { id: event.id, pubkey: event.pubkey, amountMsats: 200_000, description: 'New mic', relays, stream: formatCoordinate(stream), createdAt: 100 },
    });
  });

  it.each([
    ['another kind', { kind: 1 }, 'is not a zap goal'],
    ['no amount', { tags: [['relays', ...relays]] }, 'positive amount'],
    ['a zero amount', { tags: [['amount', '0'], ['relays', ...relays]] }, 'positive amount'],
    ['a text amount', { tags: [['amount', '12sats'], ['relays', ...relays]] }, 'positive amount'],
    ['no relays', { tags: [['amount', '1000']] }, 'relays tag'],
    ['a bad closed_at', { tags: [['amount', '1000'], ['relays', ...relays], ['closed_at', 'soon']] }, 'closed_at'],
  ])('refuses a goal with %s', (_name, change, reason) => {
    const event = { id: 'a'.repeat(64), pubkey: 'b'.repeat(64), created_at: 100, kind: 9041, tags: [], content: '', ...change };
    const result = parseZapGoal(event);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  describe('progress', () => {
    const host = getPublicKey(streamer);
    const goal: ZapGoal = { id: 'g'.repeat(64), pubkey: host, amountMsats: 10_000, description: 'New mic', relays, createdAt: 1000 };
    const zap = (paidAt: number, sats: number, recipient = host) => ({ recipient, amountMsats: sats * 1000, paidAt });

    it('counts zaps to the host from the goal on and stays open below the target', () => {
      const zaps = [zap(999, 50), zap(1000, 3), zap(1010, 4), zap(1020, 100, 'c'.repeat(64))];
      expect(goalProgress(goal, zaps, null, 2000)).toEqual({ targetSats: 10, raisedSats: 7, status: 'open' });
    });

    it('closes at the zap that reaches the target and counts nothing after it', () => {
      const zaps = [zap(1030, 20), zap(1010, 6), zap(1020, 5)];
      expect(goalProgress(goal, zaps, null, 2000)).toEqual({ targetSats: 10, raisedSats: 11, status: 'reached', closedAt: 1020 });
    });

    it('closes unreached when the stream ends or closed_at passes, whichever is first', () => {
      const zaps = [zap(1010, 2), zap(1100, 2), zap(1300, 50)];
      expect(goalProgress(goal, zaps, 1200, 2000)).toEqual({ targetSats: 10, raisedSats: 4, status: 'closed', closedAt: 1200 });
      expect(goalProgress({ ...goal, closedAt: 1050 }, zaps, 1200, 2000)).toEqual({ targetSats: 10, raisedSats: 2, status: 'closed', closedAt: 1050 });
      // A closed_at still ahead: the goal is open, and the zaps after it will not count.
      expect(goalProgress({ ...goal, closedAt: 1250 }, zaps, null, 1240)).toEqual({ targetSats: 10, raisedSats: 4, status: 'open' });
    });
  });
});

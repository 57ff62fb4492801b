import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { formatCoordinate, liveEventCoordinate } from './coordinate.js';
import { buildZapGoal, parseZapGoal } from './zap-goal.js';

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
      value: { id: event.id, pubkey: event.pubkey, amountMsats: 200_000, description: 'New mic', relays, stream: formatCoordinate(stream) },
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
});

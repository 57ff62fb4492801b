import { finalizeEvent, generateSecretKey, type VerifiedEvent } from 'nostr-tools/pure';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RelayLink } from './relay-link.js';
import { RelayOutbox, type OutboxOptions } from './relay-outbox.js';

const secret = generateSecretKey();
const ADDRESS = '30311:service:stream-1';
const OTHER = '30311:service:stream-2';

const event = (title: string): VerifiedEvent =>
  finalizeEvent({ kind: 30311, created_at: Math.floor(Date.now() / 1000), tags: [['d', 'stream-1'], ['title', title]], content: '' }, secret);

/**
 * The external relay as the outbox sees it: reachable or not, and answering each EVENT
 * with what `answer` says (undefined: `OK true`; a string: `OK false` with that reason).
 */
class FakeRelay {
  up = true;
  answer: (event: VerifiedEvent) => string | undefined = () => undefined;
  readonly accepted: VerifiedEvent[] = [];
  readonly attempts: number[] = [];

  readonly connect = async (): Promise<RelayLink> => {
    this.attempts.push(Date.now());
    if (!this.up) throw new Error('connect ECONNREFUSED');
    const link = {
      connected: true,
      publish: async (published: VerifiedEvent) => {
        if (!this.up) throw new Error('relay connection closed');
        const refusal = this.answer(published);
        if (refusal !== undefined) throw new Error(refusal);
        this.accepted.push(published);
        return '';
      },
      close: () => {
        link.connected = false;
      },
    };
    return link;
  };
}

const titles = (events: readonly VerifiedEvent[]) => events.map((e) => e.tags.find((tag) => tag[0] === 'title')?.[1]);

let relay: FakeRelay;
let outbox: RelayOutbox;

function newOutbox(options: Partial<OutboxOptions> = {}): RelayOutbox {
  return new RelayOutbox('wss://relay.example', {
    logger: { info: () => undefined, warn: () => undefined },
    connect: relay.connect,
    ...options,
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2025, 0, 1) });
  relay = new FakeRelay();
  outbox = newOutbox();
});

afterEach(() => {
  outbox.close();
  vi.useRealTimers();
});

describe('RelayOutbox', () => {
  it('retries a relay that is down with growing waits, and delivers the newest event once it is back', async () => {
    relay.up = false;
    outbox.enqueue(ADDRESS, event('first'));
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    const waits = relay.attempts.slice(1).map((at, index) => at - (relay.attempts[index] ?? 0));
    expect(waits).toEqual([1000, 2000, 4000]);

    outbox.enqueue(ADDRESS, event('second'));
    relay.up = true;
    await vi.advanceTimersByTimeAsync(8000);
    expect(titles(relay.accepted)).toEqual(['second']);
    expect(outbox.backlog).toBe(0);
    expect(outbox.deliveredId(ADDRESS)).toBe(relay.accepted[0]?.id);
  });

  it('caps the wait, so a new event for a relay long in backoff goes out within a minute of its return', async () => {
    relay.up = false;
    outbox.enqueue(ADDRESS, event('old'));
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    const waits = relay.attempts.slice(1).map((at, index) => at - (relay.attempts[index] ?? 0));
    expect(Math.max(...waits)).toBe(60_000);

    relay.up = true;
    outbox.enqueue(ADDRESS, event('new'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(titles(relay.accepted)).toEqual(['new']);
  });

  it('retries a refusal with backoff instead of dropping the event, and resets the wait after a success', async () => {
    const answers = ['blocked: not on the allow list yet', 'blocked: not on the allow list yet'];
    relay.answer = () => answers.shift();
    outbox.enqueue(ADDRESS, event('final'));
    await vi.advanceTimersByTimeAsync(0);
    expect(relay.accepted).toEqual([]);
    expect(outbox.backlog).toBe(1);

    await vi.advanceTimersByTimeAsync(1000 + 2000);
    expect(titles(relay.accepted)).toEqual(['final']);
    expect(outbox.backlog).toBe(0);

    // The next refusal waits the first step again, not where the last backoff left off.
    answers.push('rate-limited: slow down');
    outbox.enqueue(ADDRESS, event('later'));
    await vi.advanceTimersByTimeAsync(999);
    expect(titles(relay.accepted)).toEqual(['final']);
    await vi.advanceTimersByTimeAsync(1);
    expect(titles(relay.accepted)).toEqual(['final', 'later']);
  });

  it('counts a duplicate as delivered', async () => {
    relay.answer = () => 'duplicate: already have this event';
    const sent = event('again');
    outbox.enqueue(ADDRESS, sent);
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.backlog).toBe(0);
    expect(outbox.deliveredId(ADDRESS)).toBe(sent.id);
    expect(relay.attempts).toHaveLength(1);
  });

  it("does not let one stream's refused event hold back another stream's", async () => {
    relay.answer = (published) => (titles([published])[0] === 'refused' ? 'invalid: bad tag' : undefined);
    outbox.enqueue(ADDRESS, event('refused'));
    outbox.enqueue(OTHER, event('fine'));
    await vi.advanceTimersByTimeAsync(0);
    expect(titles(relay.accepted)).toEqual(['fine']);
    expect(outbox.backlog).toBe(1);

    // A newer event replaces the refused one and goes out at the next try.
    outbox.enqueue(ADDRESS, event('fixed'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(titles(relay.accepted)).toEqual(['fine', 'fixed']);
    expect(outbox.backlog).toBe(0);
  });
});

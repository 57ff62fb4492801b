import { finalizeEvent, generateSecretKey, type VerifiedEvent } from 'nostr-tools/pure';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RelayLink } from './relay-link.js';
import { RelayOutbox, type OutboxOptions } from './relay-outbox.js';

const secret = generateSecretKey();

const event = (title: string, streamId = 'stream-1'): VerifiedEvent =>
  finalizeEvent({ kind: 30311, created_at: Math.floor(Date.now() / 1000), tags: [['d', streamId], ['title', title]], content: '' }, secret);

/**
 * The external relay as the outbox sees it: reachable or not, and answering each EVENT
 * with what `answer` says (undefined: `OK true`; a string: `OK false` with that reason).
 */
class FakeRelay {
  up = true;
  answer: (event: VerifiedEvent) => string | undefined = () => undefined;
  readonly accepted: VerifiedEvent[] = [];
  /** Every EVENT sent, answered or not. */
  readonly sent: VerifiedEvent[] = [];
  readonly attempts: number[] = [];

  readonly connect = async (): Promise<RelayLink> => {
    this.attempts.push(Date.now());
    if (!this.up) throw new Error('connect ECONNREFUSED');
    const link = {
      connected: true,
      publish: async (published: VerifiedEvent) => {
        if (!this.up) throw new Error('relay connection closed');
        this.sent.push(published);
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

/** True when the outbox has nothing left to deliver: its drain then ends at once. */
async function nothingPending(): Promise<boolean> {
  let drained = false;
  void outbox.drain(60 * 60_000).then(() => (drained = true));
  await vi.advanceTimersByTimeAsync(0);
  return drained;
}

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
    void outbox.event(event('first'));
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000);
    const waits = relay.attempts.slice(1).map((at, index) => at - (relay.attempts[index] ?? 0));
    expect(waits).toEqual([1000, 2000, 4000]);

    void outbox.event(event('second'));
    relay.up = true;
    await vi.advanceTimersByTimeAsync(8000);
    expect(titles(relay.accepted)).toEqual(['second']);
    expect(await nothingPending()).toBe(true);
  });

  it('caps the wait, so a new event for a relay long in backoff goes out within a minute of its return', async () => {
    relay.up = false;
    void outbox.event(event('old'));
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    const waits = relay.attempts.slice(1).map((at, index) => at - (relay.attempts[index] ?? 0));
    expect(Math.max(...waits)).toBe(60_000);

    relay.up = true;
    void outbox.event(event('new'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(titles(relay.accepted)).toEqual(['new']);
  });

  it('retries a refusal with backoff instead of dropping the event, and resets the wait after a success', async () => {
    const answers = ['blocked: not on the allow list yet', 'blocked: not on the allow list yet'];
    relay.answer = () => answers.shift();
    void outbox.event(event('final'));
    await vi.advanceTimersByTimeAsync(0);
    expect(relay.accepted).toEqual([]);
    expect(await nothingPending()).toBe(false);

    await vi.advanceTimersByTimeAsync(1000 + 2000);
    expect(titles(relay.accepted)).toEqual(['final']);
    expect(await nothingPending()).toBe(true);

    // The next refusal waits the first step again, not where the last backoff left off.
    answers.push('rate-limited: slow down');
    void outbox.event(event('later'));
    await vi.advanceTimersByTimeAsync(999);
    expect(titles(relay.accepted)).toEqual(['final']);
    await vi.advanceTimersByTimeAsync(1);
    expect(titles(relay.accepted)).toEqual(['final', 'later']);
  });

  it('counts a duplicate as delivered', async () => {
    relay.answer = () => 'duplicate: already have this event';
    const sent = event('again');
    void outbox.event(sent);
    await vi.advanceTimersByTimeAsync(0);
    expect(await nothingPending()).toBe(true);
    // Never sent again, however long the outbox runs.
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(relay.sent.map((published) => published.id)).toEqual([sent.id]);
    expect(relay.attempts).toHaveLength(1);
  });

  it("does not let one stream's refused event hold back another stream's", async () => {
    relay.answer = (published) => (titles([published])[0] === 'refused' ? 'invalid: bad tag' : undefined);
    void outbox.event(event('refused'));
    void outbox.event(event('fine', 'stream-2'));
    await vi.advanceTimersByTimeAsync(0);
    expect(titles(relay.accepted)).toEqual(['fine']);
    expect(await nothingPending()).toBe(false);

    // A newer event replaces the refused one and goes out at the next try.
    void outbox.event(event('fixed'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(titles(relay.accepted)).toEqual(['fine', 'fixed']);
    expect(await nothingPending()).toBe(true);
  });
});

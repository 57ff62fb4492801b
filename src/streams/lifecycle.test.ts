import { describe, expect, it } from 'vitest';
import {
  isStreamStatus,
  STREAM_STATUSES,
  transition,
  WATCHABLE_STATUSES,
  type LifecycleEvent,
  type StreamStatus,
} from './lifecycle.js';

const EVENTS: readonly LifecycleEvent[] = [
  'encoder_connected',
  'encoder_disconnected',
  'start',
  'stop',
  'grace_expired',
  'failed',
];

/** The expected outcome: a target status, or `!code` for a refusal with that error code. */
type Expected = StreamStatus | `!${string}`;

// Rows: current status. Columns: the events in EVENTS order.
const EXPECTED: Record<StreamStatus, Record<LifecycleEvent, Expected>> = {
  created: { encoder_connected: 'connected', encoder_disconnected: 'created', start: '!no_encoder', stop: 'ended', grace_expired: 'created', failed: 'error' },
  connected: { encoder_connected: '!already_publishing', encoder_disconnected: 'created', start: 'live', stop: 'ended', grace_expired: 'connected', failed: 'error' },
  live: { encoder_connected: '!already_publishing', encoder_disconnected: 'reconnecting', start: '!already_live', stop: 'ended', grace_expired: 'live', failed: 'error' },
  reconnecting: { encoder_connected: 'live', encoder_disconnected: 'reconnecting', start: '!already_live', stop: 'ended', grace_expired: 'ended', failed: 'error' },
  error: { encoder_connected: 'connected', encoder_disconnected: 'error', start: '!stream_error', stop: 'ended', grace_expired: 'error', failed: 'error' },
  ended: { encoder_connected: '!stream_ended', encoder_disconnected: 'ended', start: '!stream_ended', stop: '!stream_ended', grace_expired: 'ended', failed: 'ended' },
};

const CASES = STREAM_STATUSES.flatMap((from) =>
  EVENTS.map((event) => [from, event, EXPECTED[from][event]] as const),
);

describe('transition', () => {
  it('the table covers every status × event', () => {
    expect(STREAM_STATUSES).toEqual(['created', 'connected', 'live', 'reconnecting', 'ended', 'error']);
    expect(CASES).toHaveLength(STREAM_STATUSES.length * EVENTS.length);
  });

  it.each(CASES)('%s + %s → %s', (from, event, expected) => {
    const step = transition(from, event);
    if (expected.startsWith('!')) {
      expect(step.ok).toBe(false);
      if (step.ok) return;
      expect(step.error).toBe(expected.slice(1));
      expect(step.message.length).toBeGreaterThan(10);
      expect(step.message).toMatch(/\.$/);
    } else {
      expect(step).toEqual({ ok: true, to: expected });
    }
  });

  it('ended is terminal: no event leads anywhere else', () => {
    for (const event of EVENTS) {
      const step = transition('ended', event);
      if (step.ok) expect(step.to).toBe('ended');
    }
  });

  it('only stop or grace_expired reach ended', () => {
    for (const from of STREAM_STATUSES.filter((status) => status !== 'ended')) {
      for (const event of EVENTS) {
        const step = transition(from, event);
        if (step.ok && step.to === 'ended') expect(['stop', 'grace_expired']).toContain(event);
      }
    }
  });

  it('the no_encoder refusal tells the streamer to start OBS first', () => {
    const step = transition('created', 'start');
    expect(step.ok).toBe(false);
    if (!step.ok) expect(step.message).toMatch(/OBS/);
  });
});

describe('isStreamStatus', () => {
  it.each(STREAM_STATUSES)('accepts %s', (status) => {
    expect(isStreamStatus(status)).toBe(true);
  });

  it.each(['', 'LIVE', 'paused', 'offline', 'starting'])('refuses %j', (value) => {
    expect(isStreamStatus(value)).toBe(false);
  });
});

describe('WATCHABLE_STATUSES', () => {
  it('is live and reconnecting only', () => {
    expect([...WATCHABLE_STATUSES].sort()).toEqual(['live', 'reconnecting']);
  });

  it.each(STREAM_STATUSES.map((status) => [status, status === 'live' || status === 'reconnecting'] as const))(
    '%s watchable: %s',
    (status, watchable) => {
      expect(WATCHABLE_STATUSES.includes(status)).toBe(watchable);
    },
  );
});

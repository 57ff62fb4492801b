import { describe, expect, it } from 'vitest';
import { engagement } from './engagement.js';

describe('engagement', () => {
  it('gives the share of viewers who chatted and the messages per minute', () => {
    expect(engagement({ viewers: 40, chatters: 10, messages: 90, durationSeconds: 1800 })).toEqual({ chatEngagement: 0.25, messagesPerMinute: 3 });
  });

  it('rounds to two decimals', () => {
    expect(engagement({ viewers: 3, chatters: 1, messages: 10, durationSeconds: 420 })).toEqual({ chatEngagement: 0.33, messagesPerMinute: 1.43 });
  });

  it('never goes past 1 when people chat without watching', () => {
    expect(engagement({ viewers: 2, chatters: 5, messages: 5, durationSeconds: 60 }).chatEngagement).toBe(1);
  });

  it('leaves out a figure that has no denominator', () => {
    expect(engagement({ viewers: 0, chatters: 0, messages: 4, durationSeconds: 0 })).toEqual({});
  });
});

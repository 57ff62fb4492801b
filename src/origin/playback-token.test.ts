import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PlaybackTokens } from './playback-token.js';

const STREAM = '7f0c2a8e-4d5b-4c1e-9a3f-2b6d8e1f0a9c';
const HOUR_START = 1_750_000_000 - (1_750_000_000 % 3600);

function tokensAt(clock: { now: number }) {
  return new PlaybackTokens(randomBytes(32), () => clock.now);
}

describe('playback tokens', () => {
  it('grant their scope to their stream only, until they expire', () => {
    const clock = { now: HOUR_START + 100 };
    const tokens = tokensAt(clock);
    const token = tokens.issue(STREAM, 'preview', 7200);
    expect(tokens.verify(token, STREAM)).toBe('preview');
    expect(tokens.verify(token, 'another-stream')).toBeUndefined();
    expect(tokens.verify(token.replace('preview', 'view'), STREAM)).toBeUndefined();
    clock.now += 7200;
    expect(tokens.verify(token, STREAM)).toBe('preview');
    clock.now = HOUR_START + 3 * 3600 + 1;
    expect(tokens.verify(token, STREAM)).toBeUndefined();
  });

  it('are the same string all hour, so refetched playback URLs do not change', () => {
    const clock = { now: HOUR_START + 5 };
    const tokens = tokensAt(clock);
    const first = tokens.issue(STREAM, 'preview', 12 * 3600);
    clock.now = HOUR_START + 3500;
    expect(tokens.issue(STREAM, 'preview', 12 * 3600)).toBe(first);
    clock.now = HOUR_START + 3600 + 5;
    expect(tokens.issue(STREAM, 'preview', 12 * 3600)).not.toBe(first);
  });
});

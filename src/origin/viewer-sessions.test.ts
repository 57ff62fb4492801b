import { describe, expect, it } from 'vitest';
import { ViewerSessions } from './viewer-sessions.js';

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('viewer sessions', () => {
  it('says which touch is a new viewer (the moment geography counts one): not a repeat, not a return', () => {
    const time = clock();
    const viewers = new ViewerSessions({ windowMs: 30_000, now: time.now });
    expect(viewers.touch('s', 'a')).toBe(true);
    expect(viewers.touch('s', 'a')).toBe(false);
    time.advance(60_000);
    expect(viewers.touch('s', 'a')).toBe(false);
    expect(viewers.touch('other', 'a')).toBe(true);
  });

  it('counts one viewer per session however many requests and renditions it fetches', () => {
    const time = clock();
    const viewers = new ViewerSessions({ windowMs: 30_000, now: time.now });
    for (let i = 0; i < 50; i += 1) {
      viewers.touch('s', 'session-a');
      time.advance(1000);
    }
    viewers.touch('s', 'session-b');
    expect(viewers.snapshot('s')).toMatchObject({ current: 2, peak: 2, total: 2 });
  });

  it('lets a session go after the window, keeping peak, total and its watch time', () => {
    const time = clock();
    const viewers = new ViewerSessions({ windowMs: 30_000, now: time.now });
    viewers.touch('s', 'a');
    viewers.touch('s', 'b');
    time.advance(20_000);
    viewers.touch('s', 'a');
    time.advance(25_000);
    // b was last seen 45 s ago, a 25 s ago.
    expect(viewers.snapshot('s')).toEqual({ current: 1, peak: 2, total: 2, watchSeconds: 20 });
    time.advance(10_000);
    viewers.touch('s', 'c');
    expect(viewers.snapshot('s')).toEqual({ current: 1, peak: 2, total: 3, watchSeconds: 20 });
  });

  it('does not count a session that comes back after the window as a second viewer', () => {
    const time = clock();
    const viewers = new ViewerSessions({ windowMs: 30_000, now: time.now });
    viewers.touch('s', 'a');
    time.advance(60_000);
    expect(viewers.snapshot('s')).toMatchObject({ current: 0, total: 1 });
    viewers.touch('s', 'a');
    expect(viewers.snapshot('s')).toMatchObject({ current: 1, peak: 1, total: 1 });
  });

  it('keeps streams apart and forgets an ended one', () => {
    const viewers = new ViewerSessions();
    viewers.touch('one', 'x');
    viewers.touch('two', 'x');
    viewers.touch('two', 'y');
    expect(viewers.snapshot('one').current).toBe(1);
    expect(viewers.snapshot('two').current).toBe(2);
    expect(viewers.activeStreams().sort()).toEqual(['one', 'two']);
    viewers.forget('two');
    expect(viewers.snapshot('two')).toEqual({ current: 0, peak: 0, total: 0, watchSeconds: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { TimeWindow } from './time-window.js';

describe('TimeWindow', () => {
  it('has no rate until it spans time', () => {
    const window = new TimeWindow(1000);
    expect(window.ratePerSecond()).toBeNull();
    window.add(0, 10);
    window.add(0, 10);
    expect(window.ratePerSecond()).toBeNull();
    expect(window.sizePerSecond()).toBeNull();
  });

  it('measures rate and size over the last span only', () => {
    const window = new TimeWindow(1000);
    // 10 samples a second of 100 bytes for 3 s, then 20 a second of 50 bytes for 2 s.
    for (let time = 0; time < 3000; time += 100) window.add(time, 100);
    for (let time = 3000; time <= 5000; time += 50) window.add(time, 50);
    expect(window.ratePerSecond()).toBe(20);
    expect(window.sizePerSecond()).toBe(1000);
  });

  it('stays correct through many compactions', () => {
    const window = new TimeWindow(500);
    for (let time = 0; time <= 100_000; time += 10) window.add(time, 3);
    expect(window.ratePerSecond()).toBe(100);
    expect(window.sizePerSecond()).toBe(300);
  });
});

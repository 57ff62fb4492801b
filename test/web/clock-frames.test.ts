import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../testkit/browser.js';
import { CLOCK_FRAME, clockBits, crc8, writeClockVideo } from '../../testkit/clock-frames.js';
import { installClockReader, readClock } from '../../testkit/clock-reader.js';

const FRAME_MS = 1000 / CLOCK_FRAME.fps;

/**
 * The latency benchmark's ruler, checked on its own: clock frames encoded by x264 at 1 Mbit/s,
 * played from a file in Chromium and read back from the <video>, give the time drawn in each frame.
 */
describe('clock frames', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it('draws 8 start bits, the time and its CRC', () => {
    const bits = clockBits(0x0123_4567_89ab);
    expect(bits).toHaveLength(64);
    expect(bits.slice(0, 8).join('')).toBe('10110010');
    expect(parseInt(bits.slice(8, 56).join(''), 2)).toBe(0x0123_4567_89ab);
    expect(parseInt(bits.slice(56).join(''), 2)).toBe(crc8([0x01, 0x23, 0x45, 0x67, 0x89, 0xab]));
    // CRC-8/0x07's check value.
    expect(crc8([...'123456789'].map((char) => char.charCodeAt(0)))).toBe(0xf4);
  });

  it('reads every played frame back within one frame of the time drawn in it', { timeout: 60_000 }, async () => {
    const startMs = Date.now();
    const frames = 90;
    const dir = mkdtempSync(path.join(tmpdir(), 'wlk-clock-'));
    const file = path.join(dir, 'clock.mp4');
    writeClockVideo(file, { frames, startMs });
    const body = readFileSync(file);
    rmSync(dir, { recursive: true, force: true });

    const context = await browser.newContext();
    await installClockReader(context);
    await context.route('http://clock.test/**', (route) =>
      new URL(route.request().url()).pathname === '/clock.mp4'
        ? route.fulfill({ contentType: 'video/mp4', body })
        : route.fulfill({ contentType: 'text/html', body: '<video src="/clock.mp4" muted autoplay playsinline></video>' }),
    );
    const page = await context.newPage();
    await page.goto('http://clock.test/');
    await page.locator('video').evaluate((video) => new Promise((resolve) => video.addEventListener('ended', resolve, { once: true })));
    const reading = await readClock(page);
    await context.close();

    // Headless Chromium presents most frames of a 3 s clip; every one it presents must read.
    expect(reading.samples.length).toBeGreaterThan(frames / 2);
    expect(reading.misreads).toBe(0);
    for (const sample of reading.samples) {
      const drawnAt = startMs + Math.round(sample.mediaTime * CLOCK_FRAME.fps) * FRAME_MS;
      expect(Math.abs(sample.drawnMs - drawnAt)).toBeLessThanOrEqual(FRAME_MS + 1);
    }
    // Frames are read in order, one time per frame.
    const drawn = reading.samples.map((sample) => sample.drawnMs);
    expect(drawn).toEqual([...drawn].sort((a, b) => a - b));
  });
});

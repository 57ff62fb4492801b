import type { BrowserContext, Page } from 'playwright-core';
import { CLOCK_CODE, CLOCK_FRAME } from './clock-frames.js';

/** One frame read back: the time drawn in it, when it was shown (epoch ms) and its media time (s). */
export interface ClockSample {
  readonly drawnMs: number;
  readonly shownMs: number;
  readonly mediaTime: number;
}

export interface ClockReading {
  readonly samples: readonly ClockSample[];
  /** Frames whose barcode did not read (wrong start bits or CRC). */
  readonly misreads: number;
  /** `waiting` events after the video first played: each is a stall. */
  readonly stalls: number;
  readonly stalledMs: number;
}

/**
 * Runs in the page (a string, not a function: the test runner's transpiler would add helpers the
 * page lacks): follows whichever <video> the page shows, draws each presented frame into a canvas
 * from `requestVideoFrameCallback`, reads the barcode testkit/clock-frames.ts drew and notes the
 * drawn time next to the time the frame is shown (`expectedDisplayTime` on the page's clock, made
 * epoch by `performance.timeOrigin`, the same clock as the encoder's `Date.now()`).
 */
const READER = `(() => {
  const code = ${JSON.stringify({ ...CLOCK_CODE, frameWidth: CLOCK_FRAME.width, frameHeight: CLOCK_FRAME.height })};
  const state = { samples: [], misreads: 0, stalls: 0, stalledMs: 0 };
  window.__clock = state;
  const crc8 = (bytes) => {
    let crc = 0;
    for (const byte of bytes) {
      crc ^= byte;
      for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
    }
    return crc;
  };
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const decode = (video) => {
    const width = video.videoWidth, height = video.videoHeight;
    if (!width || !height) return null;
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    context.drawImage(video, 0, 0, width, height);
    const sx = width / code.frameWidth, sy = height / code.frameHeight;
    const region = context.getImageData(0, 0, Math.ceil((code.left + code.columns * code.block) * sx), Math.ceil((code.top + code.rows * code.block) * sy));
    const half = Math.max(1, Math.floor(code.block * Math.min(sx, sy) / 4));
    const bits = [];
    for (let index = 0; index < code.columns * code.rows; index += 1) {
      const cx = Math.round((code.left + (index % code.columns) * code.block + code.block / 2) * sx);
      const cy = Math.round((code.top + Math.floor(index / code.columns) * code.block + code.block / 2) * sy);
      let sum = 0, count = 0;
      for (let y = cy - half; y <= cy + half; y += 1) for (let x = cx - half; x <= cx + half; x += 1) {
        const at = (y * region.width + x) * 4;
        sum += region.data[at] + region.data[at + 1] + region.data[at + 2];
        count += 3;
      }
      bits.push(sum / count > 128 ? 1 : 0);
    }
    const number = (from, count) => bits.slice(from, from + count).reduce((value, bit) => value * 2 + bit, 0);
    if (number(0, 8) !== code.start) return null;
    const bytes = Array.from({ length: 6 }, (_, index) => number(8 + index * 8, 8));
    if (crc8(bytes) !== number(8 + code.timeBits, 8)) return null;
    return number(8, code.timeBits);
  };
  let followed = null;
  const follow = (video) => {
    followed = video;
    let played = false, waitingSince = null;
    video.addEventListener('playing', () => {
      played = true;
      if (waitingSince !== null) state.stalledMs += Date.now() - waitingSince;
      waitingSince = null;
    });
    video.addEventListener('waiting', () => {
      if (!played || waitingSince !== null) return;
      state.stalls += 1;
      waitingSince = Date.now();
    });
    const onFrame = (_now, metadata) => {
      if (followed !== video) return;
      const drawnMs = decode(video);
      if (drawnMs === null) state.misreads += 1;
      else state.samples.push({ drawnMs, shownMs: performance.timeOrigin + metadata.expectedDisplayTime, mediaTime: metadata.mediaTime });
      video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  setInterval(() => {
    const video = document.querySelector('video');
    if (video && video !== followed) follow(video);
  }, 100);
})();`;

/** Reads the clock from every page of `context` (call before opening the page). */
export async function installClockReader(context: BrowserContext): Promise<void> {
  await context.addInitScript(READER);
}

interface ClockWindow {
  __clock: { samples: ClockSample[]; misreads: number; stalls: number; stalledMs: number };
}

/** What the page has read so far; `reset` starts a fresh count (after a warm-up). */
export async function readClock(page: Page, { reset = false }: { reset?: boolean } = {}): Promise<ClockReading> {
  return page.evaluate((clear) => {
    const state = (globalThis as unknown as ClockWindow).__clock;
    const reading = { samples: [...state.samples], misreads: state.misreads, stalls: state.stalls, stalledMs: state.stalledMs };
    if (clear) Object.assign(state, { samples: [], misreads: 0, stalls: 0, stalledMs: 0 });
    return reading;
  }, reset);
}

/** Glass-to-glass latency of each sample, in ms. */
export const latenciesMs = (reading: ClockReading): number[] => reading.samples.map((sample) => sample.shownMs - sample.drawnMs);

/** The value below which `fraction` of `values` lie (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? Number.NaN;
}

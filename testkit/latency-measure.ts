import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { z } from 'zod';
import { latenciesMs, percentile, readClock } from './clock-reader.js';
import { isPartPath, readTraffic } from './latency-traffic.js';

/** One player's figures over its sampling window (after the warm-up). */
export interface LatencyFigures {
  readonly samples: number;
  readonly misreads: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly stalls: number;
  readonly stalledMs: number;
  readonly requestsPerSecond: number;
  readonly bytesPerSecond: number;
  /** Requests for LL-HLS parts: more than zero means the player ran in LL mode. */
  readonly partRequests: number;
  readonly playlistsPerSecond: number;
  /**
   * hls.js's own view (the bare page only): how far behind the playlist's live edge it plays, and
   * the target it steers to, medians of one reading a second. Glass-to-glass minus this is the
   * pipeline's share: capture → encode → ladder → part listed, plus decode and display.
   */
  readonly behindEdgeMs?: number;
  readonly targetLatencyMs?: number;
}

const hlsView = z.object({ latency: z.number(), target: z.number() }).nullable();
const HLS_VIEW = 'window.__hls ? { latency: window.__hls.latency, target: window.__hls.targetLatency ?? NaN } : null';

const median = (values: readonly number[]): number | undefined => (values.length === 0 ? undefined : percentile(values, 0.5) * 1000);

export interface MeasureOptions {
  readonly warmupMs: number;
  readonly sampleMs: number;
  /** How long the first decoded clock frame may take. */
  readonly firstFrameMs?: number;
}

/**
 * Reads glass-to-glass latency and origin traffic from a page that has installClockReader and
 * installTrafficCounter in its context and is starting to play: waits for the first clock frame,
 * lets the player settle for `warmupMs`, then counts for `sampleMs`.
 *
 *   const figures = await measureLatency(page, { warmupMs: 10_000, sampleMs: 60_000 });
 */
export async function measureLatency(page: Page, { warmupMs, sampleMs, firstFrameMs = 30_000 }: MeasureOptions): Promise<LatencyFigures> {
  const deadline = Date.now() + firstFrameMs;
  while ((await readClock(page)).samples.length === 0) {
    if (Date.now() > deadline) throw new Error(`no clock frame was shown within ${firstFrameMs} ms`);
    await sleep(200);
  }
  await sleep(warmupMs);
  await readClock(page, { reset: true });
  await readTraffic(page, { reset: true });
  const from = Date.now();
  const behind: number[] = [];
  const target: number[] = [];
  while (Date.now() - from < sampleMs) {
    await sleep(Math.min(1000, Math.max(0, sampleMs - (Date.now() - from))));
    const view = hlsView.parse(await page.evaluate(HLS_VIEW));
    if (view && Number.isFinite(view.latency)) behind.push(view.latency);
    if (view && Number.isFinite(view.target)) target.push(view.target);
  }
  const [reading, traffic] = [await readClock(page), await readTraffic(page)];
  const seconds = (Date.now() - from) / 1000;
  const latencies = latenciesMs(reading);
  return {
    samples: latencies.length,
    misreads: reading.misreads,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    maxMs: latencies.length > 0 ? Math.max(...latencies) : Number.NaN,
    stalls: reading.stalls,
    stalledMs: reading.stalledMs,
    requestsPerSecond: traffic.requests / seconds,
    bytesPerSecond: traffic.bytes / seconds,
    partRequests: traffic.paths.filter(isPartPath).length,
    playlistsPerSecond: traffic.paths.filter((pathname) => pathname.endsWith('.m3u8')).length / seconds,
    behindEdgeMs: median(behind),
    targetLatencyMs: median(target),
  };
}

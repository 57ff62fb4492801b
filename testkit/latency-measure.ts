import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
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
}

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
  await sleep(sampleMs);
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
  };
}

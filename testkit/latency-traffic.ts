import type { BrowserContext, Page } from 'playwright-core';
import { z } from 'zod';

/**
 * What a viewer costs the origin, counted in the page from Resource Timing (every playlist, part and
 * segment hls.js fetches is one entry when it completes; a blocking reload counts once, when answered).
 * Bytes are the encoded bodies, as the origin sends them; they need the files to be same-origin
 * (the bare page) or to carry Timing-Allow-Origin.
 *
 *   await installTrafficCounter(context);   // before opening the page
 *   await readTraffic(page, { reset: true }); // after the warm-up
 */
const COUNTER = `(() => {
  const state = { requests: 0, bytes: 0, paths: [] };
  window.__traffic = state;
  performance.setResourceTimingBufferSize(100000);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.initiatorType !== 'xmlhttprequest' && entry.initiatorType !== 'fetch') continue;
      state.requests += 1;
      state.bytes += entry.encodedBodySize;
      state.paths.push(new URL(entry.name).pathname);
    }
  }).observe({ type: 'resource', buffered: true });
})();`;

const trafficSchema = z.object({ requests: z.number(), bytes: z.number(), paths: z.array(z.string()) });
export type Traffic = z.infer<typeof trafficSchema>;

/** Counts the media requests of every page of `context` (call before opening the page). */
export async function installTrafficCounter(context: BrowserContext): Promise<void> {
  await context.addInitScript(COUNTER);
}

/** What the page has fetched so far; `reset` starts a fresh count. */
export async function readTraffic(page: Page, { reset = false }: { reset?: boolean } = {}): Promise<Traffic> {
  return trafficSchema.parse(
    await page.evaluate((clear) => {
      const state = (globalThis as unknown as { __traffic: Traffic }).__traffic;
      const reading = { requests: state.requests, bytes: state.bytes, paths: [...state.paths] };
      if (clear) Object.assign(state, { requests: 0, bytes: 0, paths: [] });
      return reading;
    }, reset),
  );
}

/** An LL-HLS part as the packager names them (src/packager/rendition-packager.ts): a player asking for one runs in LL mode. */
export const isPartPath = (pathname: string): boolean => /\/part_\d+_\d+\.m4s$/.test(pathname);

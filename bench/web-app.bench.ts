/**
 * How soon a viewer can use the stream page (issue 7: interactive within 2 s on this machine),
 * over cold loads in headless Chromium against the whole service with a live test pattern,
 * next to the home page and a JSON document (the browser's own floor) loaded in the same run.
 *
 *   npm run bench -- web-app   # this bench only (needs the web build: npx vite build --config web/vite.config.ts)
 *   npx tsx bench/web-app.bench.ts
 */
import type { Browser } from 'playwright-core';
import { pushTestPattern } from '../testkit/publishers.js';
import { createStream, eventually, ingestUrl, statusOf } from '../testkit/streams.js';
import { DESKTOP_VIEWPORT, launchBrowser } from '../testkit/browser.js';
import { TestUser } from '../testkit/nostr.js';
import { startTestServer } from '../testkit/server.js';

const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const TARGET_MS = 2000;
/** Long enough for every load; the publisher is killed when the bench ends. */
const PUSH_SECONDS = 600;

/** What makes a page usable: the player's mute button on the stream page, the category filter on the home page. */
const STREAM_CONTROL = 'button[aria-label="Unmute"], button[aria-label="Mute"]';
const HOME_CONTROL = 'nav[aria-label="Categories"] button';

/** One cold load's figures, in ms from the start of navigation (the page's own clock). */
interface Load {
  readonly domContentLoaded: number;
  readonly interactive?: number;
  readonly firstFrame?: number;
  /** Bytes of .js bodies the page fetched (the service sends them uncompressed). */
  readonly jsBytes: number;
}

/**
 * Runs in the page before its own scripts and notes, on each animation frame, when the control
 * first shows enabled and when the video first advances: this clock starts with the navigation,
 * so the figures do not include Playwright's own round trips.
 * A string, not a function: tsx's transpiler would add helpers the page lacks.
 */
const watcher = (control: string | undefined) => `
  window.__marks = {};
  const watch = () => {
    const marks = window.__marks;
    const element = ${control ? `document.querySelector(${JSON.stringify(control)})` : 'null'};
    if (marks.interactive === undefined && element && !element.disabled && element.checkVisibility()) marks.interactive = performance.now();
    const video = document.querySelector('video');
    if (marks.firstFrame === undefined && video && video.currentTime > 0) marks.firstFrame = performance.now();
    requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
`;

const READ_LOAD = `(() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const jsBytes = performance
    .getEntriesByType('resource')
    .filter((entry) => new URL(entry.name).pathname.endsWith('.js'))
    .reduce((sum, entry) => sum + entry.encodedBodySize, 0);
  return { domContentLoaded: navigation.domContentLoadedEventStart, ...window.__marks, jsBytes };
})()`;

/** A load in a new context (empty cache), waiting for what `until` names. */
async function coldLoad(browser: Browser, url: string, control: string | undefined, until: 'load' | 'interactive' | 'firstFrame'): Promise<Load> {
  const context = await browser.newContext({ viewport: DESKTOP_VIEWPORT });
  try {
    await context.addInitScript(watcher(control));
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    // A function, not a string: the service's CSP forbids the eval a string predicate needs.
    if (until !== 'load') {
      await page.waitForFunction((mark) => (globalThis as unknown as { __marks: Record<string, number> }).__marks[mark] !== undefined, until, { timeout: 30_000 });
    }
    // The page's lazy chunks are fetched before it renders its control, so the sum is complete here.
    return await page.evaluate<Load>(READ_LOAD);
  } finally {
    await context.close();
  }
}

interface Summary {
  readonly median: number;
  readonly max: number;
}

function summarise(values: readonly (number | undefined)[]): Summary | undefined {
  const present = values.filter((value): value is number => value !== undefined).sort((a, b) => a - b);
  if (present.length === 0) return undefined;
  const middle = Math.floor(present.length / 2);
  const median = present.length % 2 === 1 ? (present[middle] ?? 0) : ((present[middle - 1] ?? 0) + (present[middle] ?? 0)) / 2;
  return { median, max: present.at(-1) ?? 0 };
}

const ms = (summary: Summary | undefined) =>
  summary ? `${summary.median.toFixed(0).padStart(5)} / ${summary.max.toFixed(0).padStart(5)} ms` : '           –    ';
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1).padStart(7)} kB`;

async function main(): Promise<void> {
  const server = await startTestServer('sqlite');
  let browser: Browser | undefined;
  let publisher: ReturnType<typeof pushTestPattern> | undefined;
  try {
    const index = await fetch(`${server.url}/`);
    if (index.status !== 200) throw new Error(`the web app is not served (${index.status}): run \`npx vite build --config web/vite.config.ts\` first`);

    const host = new TestUser();
    const stream = await createStream(server, host, { title: 'Bench pattern', quality: '360p', record: false });
    publisher = pushTestPattern(ingestUrl(server, stream.stream_key), { seconds: PUSH_SECONDS, size: '640x360' });
    await eventually('the encoder to connect', async () => ((await statusOf(server, host, stream.stream_id)).status === 'connected' ? true : undefined));
    const started = await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: host });
    if (started.status !== 200) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
    // Two segments in the playlist, so the player has something to play as soon as it asks.
    await eventually('two segments', async () => {
      const response = await fetch(`${server.url}/hls/${stream.stream_id}/360p/index.m3u8`);
      return response.status === 200 && (await response.text()).includes('seg_00001.m4s') ? true : undefined;
    }, 30_000);

    browser = await launchBrowser();
    console.log(`web app bench: ${LOADS} cold loads of each page (new context, empty cache), Chromium ${browser.version()}, 640x360 test pattern at 360p`);
    // The browser's first context starts its helper processes: that cost is the browser's, not a page's.
    await coldLoad(browser, `${server.url}/healthz`, undefined, 'load');

    const floor: Load[] = [];
    const home: Load[] = [];
    const watch: Load[] = [];
    // Interleaved, so a slow moment on the machine touches every page alike.
    for (let round = 0; round < LOADS; round += 1) {
      floor.push(await coldLoad(browser, `${server.url}/healthz`, undefined, 'load'));
      home.push(await coldLoad(browser, `${server.url}/`, HOME_CONTROL, 'interactive'));
      watch.push(await coldLoad(browser, `${server.url}/s/${stream.stream_id}`, STREAM_CONTROL, 'firstFrame'));
    }

    console.log(`  ${'median / max'.padEnd(22)} ${['DOMContentLoaded', 'interactive', 'first frame'].map((title) => title.padStart(16)).join('  ')}  ${'JS'.padStart(10)}`);
    const row = (name: string, loads: Load[]) =>
      console.log(
        `  ${name.padEnd(22)} ${ms(summarise(loads.map((load) => load.domContentLoaded)))}  ${ms(summarise(loads.map((load) => load.interactive)))}` +
          `  ${ms(summarise(loads.map((load) => load.firstFrame)))}  ${kB(Math.max(...loads.map((load) => load.jsBytes)))}`,
      );
    row('/healthz (floor)', floor);
    row('/ (home)', home);
    row('/s/<id> (stream)', watch);
    const interactive = summarise(watch.map((load) => load.interactive));
    if (interactive) {
      console.log(
        `  stream page interactive / ${TARGET_MS} ms target: ${(interactive.median / TARGET_MS).toFixed(2)} median, ${(interactive.max / TARGET_MS).toFixed(2)} max (target ≤ 1.00)`,
      );
    }
  } finally {
    publisher?.child.kill('SIGKILL');
    await browser?.close();
    await server.destroy();
  }
}

await main();

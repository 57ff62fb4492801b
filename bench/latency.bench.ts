/**
 * Glass-to-glass latency (issue 17): a clock drawn into each frame is pushed over RTMP in real time,
 * goes through the whole service (ingest → ffmpeg ladder → packager → origin) and is read back from
 * the <video> in headless Chromium against the same clock. Each player is measured in turn in one
 * run on one stream: plain HLS (hls.js, lowLatencyMode off), LL-HLS (hls.js as the web player sets
 * it), WHEP when the service offers it, and LL-HLS through the real stream page.
 *
 *   npm run bench -- latency                                  # 60 s per player after a 10 s warm-up
 *   LATENCY_FULL=1 npm run bench -- latency                   # 90 s per player (bench/run.ts passes no flags)
 *   npx tsx bench/latency.bench.ts --full | --seconds 30      # the same, run directly
 *
 * Heavy (ffmpeg and Chromium): run it under `flock /tmp/heavy.lock`. Needs the web build for the stream page.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { z } from 'zod';
import { DESKTOP_VIEWPORT, launchBrowser } from '../testkit/browser.js';
import { pushClockFrames } from '../testkit/clock-frames.js';
import { installClockReader } from '../testkit/clock-reader.js';
import { measureLatency, type LatencyFigures } from '../testkit/latency-measure.js';
import { LL_HLS_CONFIG, PLAIN_HLS_CONFIG, openHlsPlayer, openWhepPlayer, playerError, routeLatencyPage } from '../testkit/latency-page.js';
import { installTrafficCounter } from '../testkit/latency-traffic.js';
import { TestUser } from '../testkit/nostr.js';
import { startTestServer, type TestServer } from '../testkit/server.js';
import { createStream, eventually, ingestUrl, statusOf } from '../testkit/streams.js';

const flag = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : (process.argv[at + 1] ?? '');
};
const FULL = process.argv.includes('--full') || process.env.LATENCY_FULL === '1';
const SAMPLE_SECONDS = Number(flag('--seconds') ?? process.env.LATENCY_SECONDS ?? (FULL ? 90 : 60));
const WARMUP_SECONDS = 10;
/** Per player: the warm-up, the samples, and time to start playing. */
const SLOT_SECONDS = WARMUP_SECONDS + SAMPLE_SECONDS + 20;
const PLAYERS = 4;

const playback = z.object({ hls_playback: z.string().nullable(), whep_url: z.string().nullable().optional() });

interface Row {
  readonly name: string;
  readonly figures: LatencyFigures | string;
}

async function openContext(browser: Browser, server: TestServer): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: DESKTOP_VIEWPORT });
  await installClockReader(context);
  await installTrafficCounter(context);
  await routeLatencyPage(context, server.url);
  return context;
}

/** One player, in its own context (its own cache and connections); a failure is printed, not thrown. */
async function measure(browser: Browser, server: TestServer, open: (context: BrowserContext) => Promise<Page>): Promise<LatencyFigures | string> {
  const context = await openContext(browser, server);
  try {
    const page = await open(context);
    try {
      return await measureLatency(page, { warmupMs: WARMUP_SECONDS * 1000, sampleMs: SAMPLE_SECONDS * 1000 });
    } catch (error) {
      return `${error instanceof Error ? error.message : String(error)}${(await playerError(page).catch(() => undefined)) ?? ''}`;
    }
  } finally {
    await context.close();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`.padStart(8);
const optionalSeconds = (ms: number | undefined) => (ms === undefined ? '–'.padStart(8) : seconds(ms));

function print(rows: readonly Row[]): void {
  const baseline = rows.find((row) => row.name.startsWith('plain HLS'))?.figures;
  const baseP50 = typeof baseline === 'object' ? baseline.p50Ms : Number.NaN;
  console.log(
    `  ${'player'.padEnd(30)} ${['p50', 'p95', 'max'].map((title) => title.padStart(8)).join(' ')} ${'stalls'.padStart(7)} ${'stalled'.padStart(9)}` +
      ` ${'p50/HLS'.padStart(8)} ${'req/s'.padStart(6)} ${'m3u8/s'.padStart(7)} ${'kB/s'.padStart(7)} ${'parts'.padStart(6)} ${'frames'.padStart(7)}` +
      ` ${'edge'.padStart(8)} ${'target'.padStart(8)}`,
  );
  for (const { name, figures } of rows) {
    if (typeof figures === 'string') {
      console.log(`  ${name.padEnd(30)} ${figures}`);
      continue;
    }
    console.log(
      `  ${name.padEnd(30)} ${seconds(figures.p50Ms)} ${seconds(figures.p95Ms)} ${seconds(figures.maxMs)} ${String(figures.stalls).padStart(7)}` +
        ` ${`${figures.stalledMs.toFixed(0)} ms`.padStart(9)} ${(figures.p50Ms / baseP50).toFixed(2).padStart(8)}` +
        ` ${figures.requestsPerSecond.toFixed(2).padStart(6)} ${figures.playlistsPerSecond.toFixed(2).padStart(7)} ${(figures.bytesPerSecond / 1000).toFixed(1).padStart(7)}` +
        ` ${String(figures.partRequests).padStart(6)} ${String(figures.samples).padStart(7)}` +
        ` ${optionalSeconds(figures.behindEdgeMs)} ${optionalSeconds(figures.targetLatencyMs)}${figures.misreads > 0 ? ` (${figures.misreads} misread)` : ''}`,
    );
  }
}

async function main(): Promise<void> {
  const server = await startTestServer('sqlite');
  let browser: Browser | undefined;
  let encoder: ReturnType<typeof pushClockFrames> | undefined;
  try {
    const host = new TestUser();
    const stream = await createStream(server, host, { title: 'Latency clock', quality: '360p', record: false });
    encoder = pushClockFrames(ingestUrl(server, stream.stream_key), { seconds: PLAYERS * SLOT_SECONDS + 30 });
    await eventually('the encoder to connect', async () => ((await statusOf(server, host, stream.stream_id)).status === 'connected' ? true : undefined));
    const started = await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: host });
    if (started.status !== 200) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
    const links = playback.parse((await server.call('GET', `/api/v1/streams/${stream.stream_id}/status`, { as: host })).body);
    const master = links.hls_playback;
    if (!master) throw new Error('the live stream has no hls_playback URL');
    await eventually('the public playlist', async () => ((await fetch(master)).status === 200 ? true : undefined), 30_000);

    browser = await launchBrowser(['--disable-features=WebRtcHideLocalIpsWithMdns']);
    console.log(
      `latency bench: clock frames 640x360 30 fps over RTMP → 360p ladder, Chromium ${browser.version()}, ` +
        `${WARMUP_SECONDS} s warm-up then ${SAMPLE_SECONDS} s of samples per player, one after another`,
    );
    const live = browser;
    const rows: Row[] = [];
    rows.push({ name: 'plain HLS (hls.js, LL off)', figures: await measure(live, server, (context) => openHlsPlayer(context, server.url, master, PLAIN_HLS_CONFIG)) });
    rows.push({ name: 'LL-HLS (hls.js, bare page)', figures: await measure(live, server, (context) => openHlsPlayer(context, server.url, master, LL_HLS_CONFIG)) });
    const whep = links.whep_url;
    rows.push({
      name: 'WHEP (RTCPeerConnection)',
      figures: whep ? await measure(live, server, (context) => openWhepPlayer(context, server.url, whep)) : 'not available (the stream status has no whep_url)',
    });
    rows.push({
      name: 'LL-HLS (stream page /s/<id>)',
      figures: await measure(live, server, async (context) => {
        const page = await context.newPage();
        await page.goto(`${server.url}/s/${stream.stream_id}`);
        return page;
      }),
    });
    print(rows);
    console.log(
      '  p50/HLS: p50 over plain HLS p50; req/s, m3u8/s, kB/s: one viewer\'s HTTP requests (all, playlists) and bodies from the origin' +
        ' (WHEP: its signalling only); parts: LL-HLS part requests; edge, target: hls.js\'s own distance behind the playlist\'s live edge' +
        ' and its target (bare page), so p50 − edge is capture → listed in the playlist → shown',
    );
  } finally {
    encoder?.child.kill('SIGKILL');
    await browser?.close();
    await server.destroy();
  }
}

await main();

/**
 * What the origin-to-origin proxy costs a viewer: a live stream held by node A, its media
 * playlist and newest segment fetched straight from A (the baseline) and through node B (ours),
 * in the same run, sequentially and 50 at a time. Needs PostgreSQL and Redis (scripts/test-services.sh).
 *
 *   npm run bench -- cluster-proxy
 *   BENCH_ROUNDS=400 npx tsx bench/cluster-proxy.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { TestUser } from '../testkit/nostr.js';
import { createScratchDatabase } from '../testkit/postgres.js';
import { startTestServer, type TestServer } from '../testkit/server.js';
import { createStream, eventually, goLiveWithTestPattern } from '../testkit/streams.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const CONCURRENCY = 50;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? Number.NaN;

async function timed(url: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return performance.now() - start;
}

async function measure(url: string, concurrency: number): Promise<number[]> {
  const times: number[] = [];
  for (let done = 0; done < ROUNDS; done += concurrency) {
    times.push(...(await Promise.all(Array.from({ length: Math.min(concurrency, ROUNDS - done) }, () => timed(url)))));
  }
  return times;
}

const scratch = await createScratchDatabase();
const env = { DATABASE_URL: scratch.url, REDIS_URL, TRUST_PROXY: 'loopback' };
const nodes: TestServer[] = [];
const host = new TestUser();
try {
  const nodeA = await startTestServer('sqlite', { env });
  nodes.push(nodeA);
  const nodeB = await startTestServer('sqlite', { env });
  nodes.push(nodeB);
  const stream = await createStream(nodeA, host, { quality: '480p', record: false });
  const publisher = await goLiveWithTestPattern(nodeA, host, stream, { seconds: 300, size: '640x360' });
  try {
    const sid = 'bench-viewer';
    const base = (node: TestServer) => `${node.url}/hls/${stream.stream_id}`;
    const master = await eventually('the live playlists', async () => {
      const response = await fetch(`${base(nodeA)}/master.m3u8?sid=${sid}`);
      return response.ok ? response.text() : undefined;
    }, 60_000);
    const rendition = master.split('\n').find((line) => line !== '' && !line.startsWith('#'))?.split('/')[0] ?? '';
    const playlist = await eventually('a segment', async () => {
      const text = await (await fetch(`${base(nodeA)}/${rendition}/index.m3u8?sid=${sid}`)).text();
      return text.split('\n').some((line) => line !== '' && !line.startsWith('#')) ? text : undefined;
    }, 30_000);
    const segment = playlist.split('\n').filter((line) => line !== '' && !line.startsWith('#')).at(-1)?.split('?')[0] ?? '';
    const files = { 'media playlist': `${rendition}/index.m3u8?sid=${sid}`, segment: `${rendition}/${segment}?sid=${sid}` };
    console.log(`${ROUNDS} requests each; p50 / p95 in ms; "direct" is node A answering its own stream, "via B" goes through node B's proxy`);
    for (const [name, file] of Object.entries(files)) {
      for (const concurrency of [1, CONCURRENCY]) {
        // Warm both paths' connections before measuring.
        await measure(`${base(nodeB)}/${file}`, concurrency);
        const direct = await measure(`${base(nodeA)}/${file}`, concurrency);
        const proxied = await measure(`${base(nodeB)}/${file}`, concurrency);
        const show = (times: number[]) => `${percentile(times, 50).toFixed(1)} / ${percentile(times, 95).toFixed(1)}`;
        console.log(`${name.padEnd(15)} ${String(concurrency).padStart(2)} at a time   direct ${show(direct).padEnd(14)} via B ${show(proxied)}`);
      }
    }
  } finally {
    publisher.child.kill('SIGKILL');
  }
} finally {
  for (const node of nodes) await node.destroy();
  await scratch.drop();
}

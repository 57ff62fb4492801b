/**
 * The cluster under load (issue 20): simulated players through the nginx edge
 * (scripts/edge.sh, proxy_cache) in front of two of our nodes on PostgreSQL and Redis, the
 * stream encoded on node A and the edge sending HLS requests to both (node B answers its
 * misses from A). In the same run, nginx serving node A's live folder straight from disk is
 * the baseline. Also prints how many viewers the service counted (from the edge's access log)
 * against the players it ran.
 *
 *   npm run bench -- load                       # with hls-origin: 5000 viewers through the edge
 *   LOAD_EDGE_VIEWERS=2000,5000 npx tsx bench/load/hls-edge.bench.ts
 *   LOAD_EDGE_HOLDER_ONLY=1 …        # HLS only to node A (the holder): the edge without the node-to-node proxy
 *
 * Heavy (ffmpeg, two nodes, thousands of sockets): run it under `flock /tmp/heavy.lock`.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEdge, type Edge } from '../../testkit/edge.js';
import { createScratchDatabase } from '../../testkit/postgres.js';
import { freePort } from '../../testkit/server.js';
import { runningService, stopService, type RunningService } from '../../testkit/service-process.js';
import { startLoadStream, type LoadStream } from './live-stream.js';
import { cpuSeconds } from './process-cpu.js';
import { loadSettings, measure, printRows, type Row } from './load-report.js';
import { startStaticNginx, type StaticNginx } from './static-nginx.js';

// 5,000 players join over 10 s (500 a second), then play 20 s; the figures cover the playing.
// What joining costs is the `start p95` column. At 1,000 joins a second (LOAD_RAMP_SECONDS=5)
// this machine, which also runs the players, the encoder and both nodes, falls behind while
// they join, and takes about 10 s to catch up.
const settings = loadSettings('5000', 'LOAD_EDGE_VIEWERS', 10);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function main(): Promise<void> {
  const scratch = await createScratchDatabase();
  const folders = [mkdtempSync(path.join(tmpdir(), 'wlk-edge-a-')), mkdtempSync(path.join(tmpdir(), 'wlk-edge-b-'))];
  // The baseline nginx's worker runs as another user: it must be able to read node A's folder.
  for (const folder of folders) chmodSync(folder, 0o755);
  const logPort = await freePort();
  const nodes: RunningService[] = [];
  let edge: Edge | undefined;
  let live: LoadStream | undefined;
  let nginx: StaticNginx | undefined;
  try {
    const shared = { DATABASE_URL: scratch.url, REDIS_URL, LOG_LEVEL: 'warn', RATE_LIMIT_HTTP_PER_ADDRESS: '1000000' };
    const rtmpA = await freePort();
    nodes.push(await runningService(folders[0] ?? '', { ...shared, RTMP_PORT: String(rtmpA), EDGE_LOG_LISTEN: `127.0.0.1:${logPort}` }));
    nodes.push(await runningService(folders[1] ?? '', shared));
    const [nodeA, nodeB] = nodes;
    if (!nodeA || !nodeB) throw new Error('two nodes did not start');
    live = await startLoadStream(nodeA, `rtmp://127.0.0.1:${rtmpA}/live`, settings.viewers.length * 2 * (settings.seconds + settings.ramp + 15) + 120);
    edge = await startEdge({
      nodes: [nodeA.url, nodeB.url],
      ...(process.env.LOAD_EDGE_HOLDER_ONLY && { hlsNodes: [nodeA.url] }),
      viewerLog: `127.0.0.1:${logPort}`,
      // One worker, as the baseline nginx has: on these 2 cores a second one only competes with the players.
      workers: 1,
    });
    nginx = await startStaticNginx(folders[0] ?? '');
    console.log(
      `edge load bench: one 720p test pattern encoded on node A, ${settings.viewers.join(', ')} simulated players, ${settings.ramp} s ramp then ${settings.seconds} s measured, ` +
        `rendition ${settings.rendition}, players on ${settings.threads} threads; edge: nginx proxy_cache (1 worker) in front of nodes A and B (round robin); baseline: nginx (1 worker) serving node A's folder; ` +
        'CPU: edge and nginx with their workers, and (on its own line) our two nodes; 100 % = one core',
    );
    const { streamId } = live;
    const nodePids = nodes.map((node) => node.child.pid ?? -1);
    const rows: Row[] = [];
    for (const [step, viewers] of settings.viewers.entries()) {
      const runs = [
        () => measure({ server: 'edge', baseUrl: edge?.url ?? '', pids: [edge?.pid ?? -1], withChildren: true, streamId, viewers }, settings),
        () => measure({ server: 'nginx', baseUrl: nginx?.url ?? '', pids: [nginx?.pid ?? -1], withChildren: true, streamId, viewers }, settings),
      ];
      for (const run of step % 2 === 0 ? runs : runs.reverse()) {
        const [cpuBefore, started] = [cpuSeconds(nodePids), performance.now()];
        const row = await run();
        rows.push(row);
        if (row.server !== 'edge') continue;
        const nodesPercent = (100 * (cpuSeconds(nodePids) - cpuBefore)) / ((performance.now() - started) / 1000);
        const counted = (await (await fetch(`${nodeA.url}/api/v1/streams/${streamId}/status`)).json()) as { total_viewers?: number };
        console.log(
          `  through the edge at ${viewers} players: our two nodes used ${nodesPercent.toFixed(0)} % CPU; ` +
            `the service has counted ${counted.total_viewers ?? '?'} viewers in all so far (from the edge's access log)`,
        );
      }
    }
    printRows(rows, { baseline: 'nginx', target: 'target: 5000 through the edge' });
  } finally {
    live?.stop();
    await edge?.stop();
    await nginx?.stop();
    for (const node of nodes) await stopService(node);
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    await scratch.drop();
  }
}

await main();

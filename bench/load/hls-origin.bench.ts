/**
 * HLS origin under load (issue 20): simulated players straight at our origin, then at nginx
 * serving the same live folder from disk, in the same run, one live 720p test pattern pushed
 * over RTMP. Prints p50/p95/p99, errors, requests/s and the server process's CPU for both.
 *
 *   npm run bench -- load                                   # 1000 and 3000 viewers, 5 s ramp, 20 s each (~2.5 min)
 *   LOAD_VIEWERS=1000,3000,5000 LOAD_SECONDS=30 npm run bench -- load
 *   npx tsx bench/load/hls-origin.bench.ts --viewers 2000 --seconds 20 --ramp 5 --rendition lowest
 *   LOAD_CPU_PROFILE=/tmp/prof npm run bench -- load        # the origin writes a .cpuprofile there on exit
 *
 * Players take the lowest rendition unless told otherwise: on a 2-core machine that also runs
 * ffmpeg and the players, bytes (not requests) would otherwise be what is measured.
 * Heavy (ffmpeg and thousands of sockets): run it under `flock /tmp/heavy.lock`.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../testkit/server.js';
import { runningService, stopService, type RunningService } from '../../testkit/service-process.js';
import { startLoadStream, type LoadStream } from './live-stream.js';
import { loadSettings, measure, printRows, type Row } from './load-report.js';
import { startStaticNginx } from './static-nginx.js';

const settings = loadSettings('1000,3000');
const PROFILE_DIR = process.env.LOAD_CPU_PROFILE;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-load-'));
  // nginx's worker runs as another user: it must be able to read the folder.
  chmodSync(dataDir, 0o755);
  const rtmpPort = await freePort();
  let service: RunningService | undefined;
  let live: LoadStream | undefined;
  let nginx: Awaited<ReturnType<typeof startStaticNginx>> | undefined;
  try {
    service = await runningService(
      dataDir,
      {
        RTMP_PORT: String(rtmpPort),
        LOG_LEVEL: 'warn',
        // Every simulated player comes from 127.0.0.1.
        RATE_LIMIT_HTTP_PER_ADDRESS: '1000000',
      },
      PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [],
    );
    live = await startLoadStream(service, `rtmp://127.0.0.1:${rtmpPort}/live`, settings.viewers.length * 2 * (settings.seconds + settings.ramp + 15) + 120);
    nginx = await startStaticNginx(dataDir);
    console.log(
      `load bench: one 720p test pattern over RTMP (720p ladder), ${settings.viewers.join(', ')} simulated players, ${settings.ramp} s ramp then ${settings.seconds} s measured, ` +
        `rendition ${settings.rendition}, players on ${settings.threads} threads; ours (one Node process) and nginx (1 worker, same folder) in turn, taking turns going first; CPU: the server process, 100 % = one core; ` +
        'acceptQ: connections dropped by a full accept queue (the whole machine)',
    );
    const rows: Row[] = [];
    const { streamId } = live;
    const ours = { server: 'ours', baseUrl: service.url, pids: [service.child.pid ?? -1], streamId };
    const baseline = { server: 'nginx', baseUrl: nginx.url, pids: [nginx.pid], withChildren: true, streamId };
    for (const [step, viewers] of settings.viewers.entries()) {
      const runs = [() => measure({ ...ours, viewers }, settings), () => measure({ ...baseline, viewers }, settings)];
      // Taking turns at going first: the second of a pair meets a machine still warm from the first.
      for (const run of step % 2 === 0 ? runs : runs.reverse()) rows.push(await run());
    }
    printRows(rows, { baseline: 'nginx', target: 'target: 3000 at one origin' });
  } finally {
    live?.stop();
    await nginx?.stop();
    if (service) await stopService(service);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

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
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { TestUser } from '../../testkit/nostr.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { freePort } from '../../testkit/server.js';
import { callService, runningService, type RunningService } from '../../testkit/service-process.js';
import { eventually } from '../../testkit/streams.js';
import { listenOverflows } from './listen-overflows.js';
import { cpuSeconds } from './process-cpu.js';
import { runPlayers, type PlayerFigures } from './simulated-players.js';
import { startStaticNginx } from './static-nginx.js';

const flag = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};
const settings = z
  .object({
    viewers: z.string().regex(/^\d+(,\d+)*$/).transform((list) => list.split(',').map(Number)),
    seconds: z.coerce.number().positive(),
    ramp: z.coerce.number().nonnegative(),
    rendition: z.enum(['random', 'lowest', 'highest']),
  })
  .parse({
    viewers: flag('viewers') ?? process.env.LOAD_VIEWERS ?? '1000,3000',
    seconds: flag('seconds') ?? process.env.LOAD_SECONDS ?? 20,
    ramp: flag('ramp') ?? process.env.LOAD_RAMP_SECONDS ?? 5,
    rendition: flag('rendition') ?? process.env.LOAD_RENDITION ?? 'lowest',
  });
const PROFILE_DIR = process.env.LOAD_CPU_PROFILE;
/** The issue's target for one origin. */
const TARGET_P95_MS = 200;
const TARGET_ERROR_RATE = 0.001;

interface Row {
  readonly server: 'ours' | 'nginx';
  readonly figures: PlayerFigures;
  /** Of one core: 100 % is a core busy all the time. */
  readonly cpuPercent: number;
  /** Connections the kernel dropped meanwhile because the accept queue was full. */
  readonly overflows: number;
}

async function measure(server: Row['server'], baseUrl: string, pid: number, streamId: string, viewers: number): Promise<Row> {
  const before = cpuSeconds([pid], server === 'nginx');
  const overflowsBefore = listenOverflows();
  const start = performance.now();
  const figures = await runPlayers({ baseUrl, streamId, viewers, durationMs: settings.seconds * 1000, rampMs: settings.ramp * 1000, rendition: settings.rendition });
  const cpuPercent = (100 * (cpuSeconds([pid], server === 'nginx') - before)) / ((performance.now() - start) / 1000);
  return { server, figures, cpuPercent, overflows: listenOverflows() - overflowsBefore };
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`.padStart(9);

function print(rows: readonly Row[]): void {
  console.log(
    `  ${'server'.padEnd(6)} ${'viewers'.padStart(7)} ${['p50', 'p95', 'p99', 'max', 'm3u8 p95', 'seg p95'].map((title) => title.padStart(9)).join(' ')}` +
      ` ${'errors'.padStart(8)} ${'req/s'.padStart(7)} ${'MB/s'.padStart(6)} ${'CPU'.padStart(6)} ${'acceptQ'.padStart(7)}  target`,
  );
  for (const { server, figures, cpuPercent, overflows } of rows) {
    const holds = figures.p95Ms <= TARGET_P95_MS && figures.errorRate < TARGET_ERROR_RATE;
    console.log(
      `  ${server.padEnd(6)} ${String(figures.viewers).padStart(7)} ${[figures.p50Ms, figures.p95Ms, figures.p99Ms, figures.maxMs, figures.playlistP95Ms, figures.segmentP95Ms].map(ms).join(' ')}` +
        ` ${`${(100 * figures.errorRate).toFixed(2)} %`.padStart(8)} ${figures.requestsPerSecond.toFixed(0).padStart(7)} ${(figures.bytesPerSecond / 1e6).toFixed(1).padStart(6)}` +
        ` ${`${cpuPercent.toFixed(0)} %`.padStart(6)} ${String(overflows).padStart(7)}  ${holds ? 'held' : 'missed'}${figures.errorSamples.length > 0 ? `  (${figures.errorSamples.slice(0, 3).join('; ')})` : ''}`,
    );
  }
  // Rows come in pairs, one pair per step.
  for (let step = 0; step + 1 < rows.length; step += 2) {
    const pair = rows.slice(step, step + 2);
    const ours = pair.find((row) => row.server === 'ours');
    const nginx = pair.find((row) => row.server === 'nginx');
    if (!ours || !nginx) continue;
    const viewers = ours.figures.viewers;
    console.log(
      `  at ${viewers} viewers: p95 ours/nginx ${(ours.figures.p95Ms / nginx.figures.p95Ms).toFixed(1)}×, ` +
        `CPU per request ours/nginx ${((ours.cpuPercent / ours.figures.requestsPerSecond) / (nginx.cpuPercent / nginx.figures.requestsPerSecond)).toFixed(1)}×`,
    );
  }
  const held = (server: Row['server']) =>
    Math.max(0, ...rows.filter((row) => row.server === server && row.figures.p95Ms <= TARGET_P95_MS && row.figures.errorRate < TARGET_ERROR_RATE).map((row) => row.figures.viewers));
  console.log(`  viewers held at p95 ≤ ${TARGET_P95_MS} ms with < 0.1 % errors: ours ${held('ours')}, nginx ${held('nginx')} (target: 3000 at one origin)`);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-load-'));
  // nginx's worker runs as another user: it must be able to read the folder.
  chmodSync(dataDir, 0o755);
  const rtmpPort = await freePort();
  let service: RunningService | undefined;
  let encoder: ReturnType<typeof pushTestPattern> | undefined;
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
    const host = new TestUser();
    const created = await callService<{ stream_id: string; stream_key: string }>(service, 'POST', '/api/v1/streams/create', {
      as: host,
      json: { title: 'Load', category: 'tech', quality: '720p', record: false },
    });
    if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
    const { stream_id: streamId, stream_key: key } = created.body;
    const longest = settings.viewers.length * 2 * (settings.seconds + settings.ramp + 15) + 120;
    encoder = pushTestPattern(`rtmp://127.0.0.1:${rtmpPort}/live/${key}`, { seconds: longest });
    const running = service;
    await eventually('the encoder to connect', async () => {
      const status = await callService<{ status: string }>(running, 'GET', `/api/v1/streams/${streamId}/status`, { as: host });
      return status.body.status === 'connected' ? true : undefined;
    }, 30_000);
    const started = await callService(service, 'POST', `/api/v1/streams/${streamId}/start`, { as: host });
    if (started.status !== 200) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
    // A few segments in every rendition, so that a player joining has a window to start in.
    await eventually('the live playlists', async () => ((await fetch(`${running.url}/hls/${streamId}/master.m3u8`)).ok ? true : undefined), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 8000));
    nginx = await startStaticNginx(dataDir);
    console.log(
      `load bench: one 720p test pattern over RTMP (720p ladder), ${settings.viewers.join(', ')} simulated players, ${settings.ramp} s ramp then ${settings.seconds} s measured, ` +
        `rendition ${settings.rendition}; ours (one Node process) and nginx (1 worker, same folder) in turn, taking turns going first; CPU: the server process, 100 % = one core; ` +
        'acceptQ: connections dropped by a full accept queue (the whole machine)',
    );
    const rows: Row[] = [];
    const ours = service;
    const baseline = nginx;
    for (const [step, viewers] of settings.viewers.entries()) {
      const runs = [
        () => measure('ours', ours.url, ours.child.pid ?? -1, streamId, viewers),
        () => measure('nginx', baseline.url, baseline.pid, streamId, viewers),
      ];
      // Taking turns at going first: the second of a pair meets a machine still warm from the first.
      for (const run of step % 2 === 0 ? runs : runs.reverse()) rows.push(await run());
    }
    print(rows);
  } finally {
    encoder?.child.kill('SIGKILL');
    await nginx?.stop();
    if (service && service.child.exitCode === null) {
      // SIGTERM: a graceful exit, which is also when --cpu-prof writes its profile.
      service.child.kill('SIGTERM');
      await Promise.race([service.exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

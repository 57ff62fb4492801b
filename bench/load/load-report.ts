/**
 * What the HLS load benches share: their settings (flags or environment), one measured step
 * (simulated players against a server, with that server's CPU and the kernel's accept-queue
 * drops meanwhile) and the table that prints a server next to its baseline from the same run.
 *
 *   const settings = loadSettings('1000,3000');
 *   rows.push(await measure({ server: 'ours', baseUrl, pids: [pid], streamId, viewers }, settings));
 *   printRows(rows, { baseline: 'nginx', target: 'target: 3000 at one origin' });
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { listenOverflows } from './listen-overflows.js';
import { cpuSeconds } from './process-cpu.js';
import { runPlayers, type PlayerFigures } from './simulated-players.js';

/** The issue's bar for every HLS figure: p95 within 200 ms, fewer than 0.1 % errors. */
export const TARGET_P95_MS = 200;
export const TARGET_ERROR_RATE = 0.001;

export interface LoadSettings {
  readonly viewers: readonly number[];
  readonly seconds: number;
  readonly ramp: number;
  readonly rendition: 'random' | 'lowest' | 'highest';
  /** Worker threads the simulated players run on. */
  readonly threads: number;
}

const flag = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? undefined : process.argv[at + 1];
};

/**
 * `--viewers 1000,3000 --seconds 20 --ramp 5 --rendition lowest --threads 2`, or LOAD_VIEWERS,
 * LOAD_SECONDS, LOAD_RAMP_SECONDS, LOAD_RENDITION, LOAD_PLAYER_THREADS. `defaultRamp`: the
 * seconds over which the players join unless told otherwise.
 */
export function loadSettings(defaultViewers: string, viewersVariable = 'LOAD_VIEWERS', defaultRamp = 5): LoadSettings {
  return z
    .object({
      viewers: z.string().regex(/^\d+(,\d+)*$/).transform((list) => list.split(',').map(Number)),
      seconds: z.coerce.number().positive(),
      ramp: z.coerce.number().nonnegative(),
      rendition: z.enum(['random', 'lowest', 'highest']),
      threads: z.coerce.number().int().min(1).max(8),
    })
    .parse({
      viewers: flag('viewers') ?? process.env[viewersVariable] ?? defaultViewers,
      seconds: flag('seconds') ?? process.env.LOAD_SECONDS ?? 20,
      ramp: flag('ramp') ?? process.env.LOAD_RAMP_SECONDS ?? defaultRamp,
      rendition: flag('rendition') ?? process.env.LOAD_RENDITION ?? 'lowest',
      // Two: one thread of Node's HTTP client saturates below what nginx serves.
      threads: flag('threads') ?? process.env.LOAD_PLAYER_THREADS ?? 2,
    });
}

export interface Row {
  readonly server: string;
  readonly figures: PlayerFigures;
  /** Of one core: 100 % is a core busy all the time. */
  readonly cpuPercent: number;
  /** Connections the kernel dropped meanwhile because the accept queue was full. */
  readonly overflows: number;
}

export interface Target {
  readonly server: string;
  readonly baseUrl: string;
  /** The server's processes; an nginx master's workers (its children) are counted with it. */
  readonly pids: readonly number[];
  readonly withChildren?: boolean;
  readonly streamId: string;
  readonly viewers: number;
}

export async function measure(target: Target, settings: LoadSettings): Promise<Row> {
  const cpu = () => cpuSeconds(target.pids, target.withChildren ?? false);
  const before = cpu();
  const overflowsBefore = listenOverflows();
  const start = performance.now();
  const figures = await runPlayers({
    baseUrl: target.baseUrl,
    streamId: target.streamId,
    viewers: target.viewers,
    durationMs: settings.seconds * 1000,
    rampMs: settings.ramp * 1000,
    rendition: settings.rendition,
    threads: settings.threads,
  });
  const cpuPercent = (100 * (cpu() - before)) / ((performance.now() - start) / 1000);
  return { server: target.server, figures, cpuPercent, overflows: listenOverflows() - overflowsBefore };
}

const ms = (value: number) => `${value.toFixed(value < 10 ? 1 : 0)} ms`.padStart(9);
const holds = (row: Row) => row.figures.p95Ms <= TARGET_P95_MS && row.figures.errorRate < TARGET_ERROR_RATE;

/** The table, then per step each server against the baseline measured beside it, then how many viewers each held. */
export function printRows(rows: readonly Row[], options: { readonly baseline: string; readonly target: string }): void {
  const width = Math.max(6, ...rows.map((row) => row.server.length));
  console.log(
    `  ${'server'.padEnd(width)} ${'viewers'.padStart(7)} ${['p50', 'p95', 'p99', 'max', 'm3u8 p95', 'seg p95', 'start p95'].map((title) => title.padStart(9)).join(' ')}` +
      ` ${'errors'.padStart(8)} ${'req/s'.padStart(7)} ${'MB/s'.padStart(6)} ${'CPU'.padStart(6)} ${'acceptQ'.padStart(7)}  target`,
  );
  for (const row of rows) {
    const { figures } = row;
    console.log(
      `  ${row.server.padEnd(width)} ${String(figures.viewers).padStart(7)} ${[figures.p50Ms, figures.p95Ms, figures.p99Ms, figures.maxMs, figures.playlistP95Ms, figures.segmentP95Ms, figures.startupP95Ms].map(ms).join(' ')}` +
        ` ${`${(100 * figures.errorRate).toFixed(2)} %`.padStart(8)} ${figures.requestsPerSecond.toFixed(0).padStart(7)} ${(figures.bytesPerSecond / 1e6).toFixed(1).padStart(6)}` +
        ` ${`${row.cpuPercent.toFixed(0)} %`.padStart(6)} ${String(row.overflows).padStart(7)}  ${holds(row) ? 'held' : 'missed'}${figures.errorSamples.length > 0 ? `  (${figures.errorSamples.slice(0, 3).join('; ')})` : ''}`,
    );
  }
  for (const viewers of new Set(rows.map((row) => row.figures.viewers))) {
    const step = rows.filter((row) => row.figures.viewers === viewers);
    const baseline = step.find((row) => row.server === options.baseline);
    if (!baseline) continue;
    for (const row of step.filter((each) => each.server !== options.baseline)) {
      const perRequest = row.cpuPercent / row.figures.requestsPerSecond / (baseline.cpuPercent / baseline.figures.requestsPerSecond);
      console.log(`  at ${viewers} viewers: p95 ${row.server}/${baseline.server} ${(row.figures.p95Ms / baseline.figures.p95Ms).toFixed(1)}×, CPU per request ${row.server}/${baseline.server} ${perRequest.toFixed(1)}×`);
    }
  }
  const held = (server: string) => Math.max(0, ...rows.filter((row) => row.server === server && holds(row)).map((row) => row.figures.viewers));
  const servers = [...new Set(rows.map((row) => row.server))];
  console.log(`  viewers held at p95 ≤ ${TARGET_P95_MS} ms with < 0.1 % errors: ${servers.map((server) => `${server} ${held(server)}`).join(', ')} (${options.target})`);
}

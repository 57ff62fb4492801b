/**
 * Simulated HLS players for load benches: each fetches the multivariant playlist, picks a
 * rendition, reloads that media playlist every target duration and fetches each segment that
 * is new since its last reload, as a player at the live edge does (whole segments, no parts,
 * no blocking reloads). They run over keep-alive connections (one pool of sockets per thread,
 * as many as its players), in this thread or split over `threads` worker threads (one thread
 * of Node's HTTP client tops out near 3,000 requests and 300 MB a second, below what nginx
 * serves), and every request's time to the last byte is recorded. Any base URL will do: our
 * origin, nginx over the same folder, an edge.
 *
 *   const figures = await runPlayers({ baseUrl: 'http://127.0.0.1:8080', streamId, viewers: 1000, durationMs: 20_000, rampMs: 5_000 });
 *   console.log(figures.p95Ms, figures.errorRate);
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { startTsWorker } from './ts-worker.js';

export interface PlayerRun {
  /** Where `/hls/<id>/master.m3u8` is served, without a trailing slash. */
  readonly baseUrl: string;
  readonly streamId: string;
  readonly viewers: number;
  /** How long every player plays once the ramp is over (the figures cover only this part). */
  readonly durationMs: number;
  /** Players start spread evenly over this time. */
  readonly rampMs: number;
  /** Which rendition a player picks: one at random (default), or always the lowest or highest listed. */
  readonly rendition?: 'random' | 'lowest' | 'highest';
  /** A request that takes longer than this is an error (default 10 s). */
  readonly timeoutMs?: number;
  /** Worker threads to spread the players over (default 1: this thread). */
  readonly threads?: number;
}

/** What one thread's players recorded, to be put together with the other threads'. */
export interface PlayerSamples {
  readonly playlistMs: number[];
  readonly segmentMs: number[];
  readonly errors: number;
  readonly bytes: number;
  readonly causes: string[];
  readonly elapsedS: number;
  /** Per player: from asking for the multivariant playlist to holding its first segment. */
  readonly startupMs: number[];
}

export interface PlayerFigures {
  readonly viewers: number;
  readonly requests: number;
  readonly errors: number;
  /** errors / requests. */
  readonly errorRate: number;
  readonly requestsPerSecond: number;
  /** Bodies received, bytes per second. */
  readonly bytesPerSecond: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** p95 of playlist requests and of segment requests alone. */
  readonly playlistP95Ms: number;
  readonly segmentP95Ms: number;
  /** p95 over every player, ramp included, of the time from the multivariant playlist to the first segment: what joining costs. */
  readonly startupP95Ms: number;
  /** The first few distinct error causes (`404 /hls/…`, `ECONNRESET`, `timeout`), for the report. */
  readonly errorSamples: readonly string[];
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly bytes: number;
}

/** What one run records; requests finished during the ramp are left out of the figures. */
class Recorder {
  readonly playlistMs: number[] = [];
  readonly segmentMs: number[] = [];
  errors = 0;
  bytes = 0;
  readonly causes = new Set<string>();
  readonly startupMs: number[] = [];
  measuring = false;

  record(kind: 'playlist' | 'segment', ms: number, bytes: number, error: string | undefined): void {
    if (!this.measuring) return;
    (kind === 'playlist' ? this.playlistMs : this.segmentMs).push(ms);
    this.bytes += bytes;
    if (error === undefined) return;
    this.errors += 1;
    if (this.causes.size < 8) this.causes.add(error);
  }
}

export async function runPlayers(run: PlayerRun): Promise<PlayerFigures> {
  const threads = Math.max(1, Math.min(run.threads ?? 1, run.viewers));
  const samples =
    threads === 1
      ? [await recordPlayers(run)]
      : await Promise.all(
          Array.from({ length: threads }, (_, thread) => {
            // Shares differ by one at most; each thread ramps its own players over the whole ramp.
            const viewers = Math.floor(run.viewers / threads) + (thread < run.viewers % threads ? 1 : 0);
            return inThread({ ...run, viewers, threads: 1 });
          }),
        );
  return summarize(run.viewers, samples);
}

async function inThread(run: PlayerRun): Promise<PlayerSamples> {
  const { worker } = await startTsWorker(new URL('./player-thread.ts', import.meta.url), run);
  return new Promise((resolve, reject) => {
    worker.once('message', (samples: PlayerSamples) => {
      resolve(samples);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** Runs the players in this thread and keeps every measured request's time. */
export async function recordPlayers(run: PlayerRun): Promise<PlayerSamples> {
  // Every idle socket is kept, as a browser keeps its connection between reloads (the default
  // keeps 256 and closes the rest: each reload would then open a new connection).
  const agent = new http.Agent({ keepAlive: true, maxSockets: run.viewers, maxFreeSockets: run.viewers, scheduling: 'lifo' });
  const recorder = new Recorder();
  const timeoutMs = run.timeoutMs ?? 10_000;
  const started = performance.now();
  const measureFrom = started + run.rampMs;
  const stopAt = measureFrom + run.durationMs;
  const fetchOnce = (url: URL, kind: 'playlist' | 'segment'): Promise<Answer | undefined> =>
    get(agent, url, kind === 'playlist', timeoutMs).then(
      ({ answer, ms }) => {
        const error = answer.status === 200 ? undefined : `${answer.status} ${url.pathname}`;
        recorder.record(kind, ms, answer.bytes, error);
        return error === undefined ? answer : undefined;
      },
      (error: unknown) => {
        recorder.record(kind, timeoutMs, 0, error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error));
        return undefined;
      },
    );
  const measuring = setTimeout(() => (recorder.measuring = true), run.rampMs);
  const players = Array.from({ length: run.viewers }, async (_, index) => {
    await sleep((run.rampMs * index) / run.viewers);
    const startupMs = await play(new URL(`${run.baseUrl}/hls/${run.streamId}/master.m3u8`), run.rendition ?? 'random', stopAt, fetchOnce);
    if (startupMs !== undefined) recorder.startupMs.push(startupMs);
  });
  await Promise.all(players);
  clearTimeout(measuring);
  agent.destroy();
  return {
    playlistMs: recorder.playlistMs,
    segmentMs: recorder.segmentMs,
    errors: recorder.errors,
    bytes: recorder.bytes,
    causes: [...recorder.causes],
    startupMs: recorder.startupMs,
    elapsedS: Math.max(0.001, (Math.min(performance.now(), stopAt + timeoutMs) - measureFrom) / 1000),
  };
}

function summarize(viewers: number, samples: readonly PlayerSamples[]): PlayerFigures {
  const playlistMs = samples.flatMap((each) => each.playlistMs).sort((a, b) => a - b);
  const segmentMs = samples.flatMap((each) => each.segmentMs).sort((a, b) => a - b);
  const all = [...playlistMs, ...segmentMs].sort((a, b) => a - b);
  const errors = samples.reduce((sum, each) => sum + each.errors, 0);
  const elapsedS = Math.max(...samples.map((each) => each.elapsedS));
  const startupMs = samples.flatMap((each) => each.startupMs).sort((a, b) => a - b);
  return {
    viewers,
    requests: all.length,
    errors,
    errorRate: all.length === 0 ? 1 : errors / all.length,
    requestsPerSecond: all.length / elapsedS,
    bytesPerSecond: samples.reduce((sum, each) => sum + each.bytes, 0) / elapsedS,
    p50Ms: quantile(all, 0.5),
    p95Ms: quantile(all, 0.95),
    p99Ms: quantile(all, 0.99),
    maxMs: all.at(-1) ?? Number.NaN,
    playlistP95Ms: quantile(playlistMs, 0.95),
    segmentP95Ms: quantile(segmentMs, 0.95),
    startupP95Ms: quantile(startupMs, 0.95),
    errorSamples: [...new Set(samples.flatMap((each) => each.causes))].slice(0, 8),
  };
}

type Fetch = (url: URL, kind: 'playlist' | 'segment') => Promise<Answer | undefined>;

/** One player until `stopAt`: a failed request is retried on the next reload, as players do. Answers its startup time, if it got a segment. */
async function play(master: URL, pick: 'random' | 'lowest' | 'highest', stopAt: number, fetchOnce: Fetch): Promise<number | undefined> {
  const startedAt = performance.now();
  let startupMs: number | undefined;
  let media: URL | undefined;
  let lastMsn = -1;
  while (performance.now() < stopAt) {
    const reloadAt = performance.now();
    if (media === undefined) {
      const answer = await fetchOnce(master, 'playlist');
      const variants = answer === undefined ? [] : uris(answer.body);
      const chosen = pick === 'lowest' ? variants.at(-1) : pick === 'highest' ? variants[0] : variants[Math.floor(Math.random() * variants.length)];
      if (chosen === undefined) {
        await sleep(1000);
        continue;
      }
      media = new URL(chosen, master);
    }
    const answer = await fetchOnce(media, 'playlist');
    const playlist = answer === undefined ? undefined : mediaPlaylist(answer.body);
    if (playlist !== undefined) {
      // A player joining starts at the newest whole segment, then takes each new one in turn.
      const fresh = playlist.segments.filter((segment) => segment.msn > lastMsn).slice(lastMsn < 0 ? -1 : 0);
      for (const segment of fresh) {
        if (performance.now() >= stopAt) return startupMs;
        if ((await fetchOnce(new URL(segment.uri, media), 'segment')) === undefined) continue;
        lastMsn = segment.msn;
        startupMs ??= performance.now() - startedAt;
      }
    }
    const targetMs = (playlist?.targetDurationS ?? 2) * 1000;
    await sleep(Math.max(0, reloadAt + targetMs - performance.now()));
  }
  return startupMs;
}

function get(agent: http.Agent, url: URL, keepBody: boolean, timeoutMs: number): Promise<{ answer: Answer; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const request = http.get(url, { agent, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (keepBody) chunks.push(chunk);
      });
      response.on('end', () =>
        resolve({ answer: { status: response.statusCode ?? 0, body: keepBody ? Buffer.concat(chunks).toString('utf8') : '', bytes }, ms: performance.now() - start }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

/** The URI lines of a playlist, in order. */
function uris(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

function mediaPlaylist(text: string): { targetDurationS: number; segments: { msn: number; uri: string }[] } | undefined {
  if (!text.startsWith('#EXTM3U')) return undefined;
  const sequence = Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)/m.exec(text)?.[1] ?? 0);
  const target = Number(/^#EXT-X-TARGETDURATION:([\d.]+)/m.exec(text)?.[1] ?? 2);
  return { targetDurationS: target, segments: uris(text).map((uri, index) => ({ msn: sequence + index, uri })) };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Relay ingest: accepted events per second (parse, verify, policies, store, OK) over a few
 * publishing sockets, next to raw WASM signature verification on one thread in the same run.
 * The relay runs in this process; its publishers run in a worker thread, as clients would
 * be elsewhere. Target: ≥ 4,000 accepted events/s on 2 cores.
 *
 *   npm run bench -- load             # with the other load benches
 *   BENCH_EVENTS=10000 npx tsx bench/load/relay-ingest.bench.ts
 */
import { performance } from 'node:perf_hooks';
import type { VerifiedEvent } from 'nostr-tools';
import { z } from 'zod';
import { makeEvents, rawVerificationRates, startBenchRelay } from '../relay-kit.js';
import { cpuSeconds, threadCpuSeconds } from './process-cpu.js';
import { startTsWorker } from './ts-worker.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 6000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const TARGET = 4000;
const answerSchema = z.union([z.object({ rate: z.number(), cpuSeconds: z.number() }), z.object({ error: z.string() })]);

const relay = await startBenchRelay();
const { worker } = await startTsWorker(new URL('./ingest-publishers.ts', import.meta.url), undefined);

/** CPU per accepted event, in ms, by thread: the machine has two cores for all of them. */
interface CpuShares {
  /** The relay's main thread: parsing, policies, SQLite, OK frames. */
  readonly relayMain: number;
  /** Every other thread of the relay: the verifier threads, V8's compiler and GC helpers. */
  readonly relayOthers: number;
  /** The publishers' thread, which stands in for clients elsewhere. */
  readonly publishers: number;
}

/** One pass through the publishers' thread, with what it cost each thread and how busy the relay's main loop was. */
function publish(events: VerifiedEvent[]): Promise<{ rate: number; cpu: CpuShares; relayThreadBusy: number }> {
  const [processBefore, mainBefore, loopBefore] = [cpuSeconds([process.pid]), threadCpuSeconds(), performance.eventLoopUtilization()];
  return new Promise((resolve, reject) => {
    worker.once('message', (message: unknown) => {
      const answer = answerSchema.parse(message);
      if ('error' in answer) return reject(new Error(answer.error));
      const perEvent = (seconds: number) => (1000 * seconds) / events.length;
      const [processSeconds, mainSeconds] = [cpuSeconds([process.pid]) - processBefore, threadCpuSeconds() - mainBefore];
      resolve({
        rate: answer.rate,
        cpu: {
          relayMain: perEvent(mainSeconds),
          relayOthers: perEvent(processSeconds - mainSeconds - answer.cpuSeconds),
          publishers: perEvent(answer.cpuSeconds),
        },
        relayThreadBusy: performance.eventLoopUtilization(loopBefore).utilization,
      });
    });
    worker.postMessage({ url: relay.url, events, connections: CONNECTIONS });
  });
}

try {
  console.log(`relay ingest: ${EVENTS} kind 1 events over ${CONNECTIONS} sockets (publishers in a worker thread), SQLite in ${relay.dataDir}`);
  const raw = await rawVerificationRates(makeEvents(EVENTS));
  // A first pass warms the JIT and the database file; the second is the figure.
  await publish(makeEvents(Math.min(EVENTS, 1000)));
  const accepted = await publish(makeEvents(EVENTS));
  console.log(`  raw verification, WASM (nostr-wasm, one thread)  ${raw.wasm.toFixed(0).padStart(7)} events/s  (baseline)`);
  console.log(
    raw.native === undefined
      ? '  raw verification, native: not built (npm run build:native); the relay verifies with WASM'
      : `  raw verification, native libsecp256k1 (one thread) ${raw.native.toFixed(0).padStart(7)} events/s  (what the relay's verifier threads use)`,
  );
  console.log(
    `  relay accepted (verify + policies + store + OK)  ${accepted.rate.toFixed(0).padStart(7)} events/s` +
      `  = ${(accepted.rate / raw.wasm).toFixed(2)}x WASM verification; target ≥ ${TARGET}: ${accepted.rate >= TARGET ? 'met' : 'NOT met'}`,
  );
  const { relayMain, relayOthers, publishers } = accepted.cpu;
  console.log(
    `  CPU per accepted event: relay main thread ${relayMain.toFixed(3)} ms (busy ${(accepted.relayThreadBusy * 100).toFixed(0)} %),` +
      ` relay's other threads ${relayOthers.toFixed(3)} ms (verification alone ${(1000 / (raw.native ?? raw.wasm)).toFixed(3)}), publishers ${publishers.toFixed(3)} ms;` +
      ` two cores hold at most ${(2000 / (relayMain + relayOthers + publishers)).toFixed(0)} events/s`,
  );
} finally {
  await worker.terminate();
  await relay.close();
}

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
import { startTsWorker } from './ts-worker.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 6000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const TARGET = 4000;
const answerSchema = z.union([z.object({ rate: z.number() }), z.object({ error: z.string() })]);

const relay = await startBenchRelay();
const { worker } = await startTsWorker(new URL('./ingest-publishers.ts', import.meta.url), undefined);

/** One pass through the publishers' thread, with what it cost this process and the relay's thread. */
function publish(events: VerifiedEvent[]): Promise<{ rate: number; cpuMsPerEvent: number; relayThreadBusy: number }> {
  const [cpuBefore, loopBefore] = [process.cpuUsage(), performance.eventLoopUtilization()];
  return new Promise((resolve, reject) => {
    worker.once('message', (message: unknown) => {
      const answer = answerSchema.parse(message);
      if ('error' in answer) return reject(new Error(answer.error));
      const cpu = process.cpuUsage(cpuBefore);
      resolve({ rate: answer.rate, cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / events.length, relayThreadBusy: performance.eventLoopUtilization(loopBefore).utilization });
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
    `  relay accepted (verify + policies + store + OK)  ${accepted.rate.toFixed(0).padStart(7)} events/s` +
      `  = ${(accepted.rate / raw.wasm).toFixed(2)}x WASM verification; target ≥ ${TARGET}: ${accepted.rate >= TARGET ? 'met' : 'NOT met'}`,
  );
  // The publishers' thread is in this process too: its share is in the CPU figure, so that figure bounds the relay's own cost.
  console.log(
    `  CPU per accepted event (relay + publishers, all threads) ${accepted.cpuMsPerEvent.toFixed(3)} ms;` +
      ` relay's main thread busy ${(accepted.relayThreadBusy * 100).toFixed(0)} %; verification alone ${(1000 / raw.wasm).toFixed(3)} ms/event`,
  );
} finally {
  await worker.terminate();
  await relay.close();
}

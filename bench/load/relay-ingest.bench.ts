/**
 * Relay ingest: accepted events per second (parse, verify, policies, store, OK) over a few
 * publishing sockets, next to raw WASM signature verification on one thread in the same run.
 * Target: ≥ 4,000 accepted events/s on 2 cores.
 *
 *   npm run bench -- load             # with the other load benches
 *   BENCH_EVENTS=10000 npx tsx bench/load/relay-ingest.bench.ts
 */
import { acceptedPerSecond, lastIngestCost, makeEvents, rawVerificationRates, startBenchRelay } from '../relay-kit.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 6000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const TARGET = 4000;

const relay = await startBenchRelay();
try {
  console.log(`relay ingest: ${EVENTS} kind 1 events over ${CONNECTIONS} sockets, SQLite in ${relay.dataDir}`);
  const raw = await rawVerificationRates(makeEvents(EVENTS));
  // A first pass warms the JIT and the database file; the second is the figure.
  await acceptedPerSecond(relay.url, makeEvents(Math.min(EVENTS, 1000)), CONNECTIONS);
  const accepted = await acceptedPerSecond(relay.url, makeEvents(EVENTS), CONNECTIONS);
  console.log(`  raw verification, WASM (nostr-wasm, one thread)  ${raw.wasm.toFixed(0).padStart(7)} events/s  (baseline)`);
  console.log(
    `  relay accepted (verify + policies + store + OK)  ${accepted.toFixed(0).padStart(7)} events/s` +
      `  = ${(accepted / raw.wasm).toFixed(2)}x WASM verification; target ≥ ${TARGET}: ${accepted >= TARGET ? 'met' : 'NOT met'}`,
  );
  // The publishers run in this process too: their share is in these figures, so they bound the relay's own cost.
  if (lastIngestCost) {
    console.log(
      `  CPU per accepted event (relay + publishers, all threads) ${lastIngestCost.cpuMsPerEvent.toFixed(3)} ms;` +
        ` main thread busy ${(lastIngestCost.mainThreadBusy * 100).toFixed(0)} %; verification alone ${(1000 / raw.wasm).toFixed(3)} ms/event`,
    );
  }
} finally {
  await relay.close();
}

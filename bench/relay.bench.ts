/**
 * Relay throughput and delivery delay, next to the raw signature-verification rate
 * measured in the same run (the ceiling the relay approaches).
 *
 *   npm run bench -- relay   # this bench only (npm run bench runs every *.bench.ts)
 *   npx tsx bench/relay.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { acceptedPerSecond, makeEvents, open, quantile, rawVerificationRates, startBenchRelay } from './relay-kit.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000);
const SUBSCRIPTIONS = 500;
const DELAY_SAMPLES = 100;
/** Subscriptions are spread over this many sockets, as many browsers would hold them. */
const LISTENERS = 50;

/**
 * Delay from sending an EVENT to its arrival on each of the open subscriptions: every
 * (event, subscription) delivery is one sample, so the figures cover the last listener
 * served as well as the first.
 */
async function deliveryDelays(url: string): Promise<{ p50: number; p99: number; deliveries: number }> {
  const listeners = await Promise.all(Array.from({ length: LISTENERS }, () => open(url)));
  let eoses = 0;
  const ready = new Promise<void>((resolve) => {
    for (const listener of listeners) {
      listener.on('message', (data) => {
        if (data.toString().startsWith('["EOSE"') && (eoses += 1) === SUBSCRIPTIONS) resolve();
      });
    }
  });
  for (let i = 0; i < SUBSCRIPTIONS; i += 1) {
    listeners[i % listeners.length]?.send(JSON.stringify(['REQ', `s${i}`, { kinds: [1], '#t': ['delay'], limit: 0 }]));
  }
  await ready;

  // The one event in flight, when it was sent, and the subscriptions it has yet to reach.
  let current: { id: string; sentAt: number; waiting: Set<string>; done(): void } | undefined;
  const delays: number[] = [];
  for (const listener of listeners) {
    listener.on('message', (data) => {
      const arrivedAt = performance.now();
      const [type, subscription, event] = JSON.parse(data.toString()) as [string, string, { id?: string }];
      if (type !== 'EVENT' || !current || event.id !== current.id || !current.waiting.delete(subscription)) return;
      delays.push(arrivedAt - current.sentAt);
      if (current.waiting.size === 0) current.done();
    });
  }

  const publisher = await open(url);
  const secret = generateSecretKey();
  for (let i = 0; i < DELAY_SAMPLES; i += 1) {
    const event = finalizeEvent(
      { kind: 1, created_at: Math.floor(Date.now() / 1000), tags: [['t', 'delay']], content: `d${i}` },
      secret,
    );
    const everyone = new Promise<void>((resolve) => {
      current = {
        id: event.id,
        sentAt: performance.now(),
        waiting: new Set(Array.from({ length: SUBSCRIPTIONS }, (_, index) => `s${index}`)),
        done: resolve,
      };
    });
    publisher.send(JSON.stringify(['EVENT', event]));
    await everyone;
  }
  for (const socket of [...listeners, publisher]) socket.close();
  delays.sort((a, b) => a - b);
  return { p50: quantile(delays, 0.5), p99: quantile(delays, 0.99), deliveries: delays.length };
}

async function main(): Promise<void> {
  const relay = await startBenchRelay();
  const url = relay.url;
  try {
    console.log(`relay bench: ${EVENTS} events, ${SUBSCRIPTIONS} subscriptions, SQLite in ${relay.dataDir}`);
    const raw = await rawVerificationRates(makeEvents(EVENTS));
    console.log(`  raw verification, pure JS (nostr-tools)  ${raw.pureJs.toFixed(0).padStart(7)} events/s`);
    console.log(`  raw verification, WASM (nostr-wasm)      ${raw.wasm.toFixed(0).padStart(7)} events/s`);
    if (raw.native !== undefined) console.log(`  raw verification, native libsecp256k1   ${raw.native.toFixed(0).padStart(7)} events/s  (the relay's threads)`);
    const accepted = await acceptedPerSecond(url, makeEvents(EVENTS));
    console.log(
      `  relay accepted (verify + store + OK)     ${accepted.toFixed(0).padStart(7)} events/s` +
        `  = ${(accepted / raw.pureJs).toFixed(2)}x pure-JS verification, ${(accepted / raw.wasm).toFixed(2)}x WASM verification`,
    );
    const delay = await deliveryDelays(url);
    console.log(
      `  EVENT → delivery to each of ${SUBSCRIPTIONS} subscriptions  p50 ${delay.p50.toFixed(2)} ms, p99 ${delay.p99.toFixed(2)} ms` +
        `  (${delay.deliveries} deliveries over ${LISTENERS} sockets)`,
    );
  } finally {
    await relay.close();
  }
}

await main();

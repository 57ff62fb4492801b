/**
 * Relay throughput and delivery delay, next to the raw signature-verification rate
 * measured in the same run (the ceiling the relay approaches).
 *
 *   npm run bench -- relay   # this bench only (npm run bench runs every *.bench.ts)
 *   npx tsx bench/relay.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { initNostrWasm } from 'nostr-wasm';
import { finalizeEvent, generateSecretKey, verifyEvent, type VerifiedEvent } from 'nostr-tools/pure';
import { pino } from 'pino';
import WebSocket from 'ws';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000);
const SUBSCRIPTIONS = 500;
const DELAY_SAMPLES = 100;
/** Subscriptions are spread over this many sockets, as many browsers would hold them. */
const LISTENERS = 50;

function makeEvents(count: number): VerifiedEvent[] {
  const secret = generateSecretKey();
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) =>
    finalizeEvent({ kind: 1, created_at: now, tags: [['t', 'bench']], content: `bench ${i} ${Math.random()}` }, secret),
  );
}

/** Fresh objects parsed from JSON: nostr-tools caches a "verified" mark on the ones it signed. */
const freshCopies = (events: VerifiedEvent[]) => events.map((event) => JSON.parse(JSON.stringify(event)) as VerifiedEvent);

async function rawVerificationRates(events: VerifiedEvent[]): Promise<{ pureJs: number; wasm: number }> {
  const pureCopies = freshCopies(events);
  let start = performance.now();
  for (const event of pureCopies) if (!verifyEvent(event)) throw new Error('bench event failed to verify');
  const pureJs = pureCopies.length / ((performance.now() - start) / 1000);

  const nostr = await initNostrWasm();
  const wasmCopies = freshCopies(events);
  start = performance.now();
  for (const event of wasmCopies) nostr.verifyEvent(event);
  const wasm = wasmCopies.length / ((performance.now() - start) / 1000);
  return { pureJs, wasm };
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Publishes every event over a few connections and waits for every OK. */
async function acceptedPerSecond(url: string, events: VerifiedEvent[]): Promise<number> {
  const sockets = await Promise.all(Array.from({ length: 4 }, () => open(url)));
  const copies = freshCopies(events);
  let remaining = copies.length;
  const done = new Promise<void>((resolve, reject) => {
    for (const socket of sockets) {
      socket.on('message', (data) => {
        const [type, , accepted, message] = JSON.parse(data.toString()) as [string, string, boolean, string];
        if (type !== 'OK') return;
        if (!accepted) reject(new Error(`event refused: ${message}`));
        remaining -= 1;
        if (remaining === 0) resolve();
      });
    }
  });
  const start = performance.now();
  copies.forEach((event, i) => sockets[i % sockets.length]?.send(JSON.stringify(['EVENT', event])));
  await done;
  const rate = copies.length / ((performance.now() - start) / 1000);
  for (const socket of sockets) socket.close();
  return rate;
}

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
  const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), deliveries: delays.length };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-bench-'));
  const config = loadConfig({
    PORT: '0',
    RTMP_PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    // Every bench socket comes from 127.0.0.1: the per-address limits that protect a public
    // service would refuse the bench's own listeners and publishers.
    RATE_LIMIT_WS_PER_ADDRESS: '1000',
    RATE_LIMIT_CHAT_PER_PUBKEY: '1000000',
    RATE_LIMIT_CHAT_PER_ADDRESS: '1000000',
    RATE_LIMIT_EVENTS_PER_PUBKEY: '1000000',
    RATE_LIMIT_EVENTS_PER_ADDRESS: '1000000',
    RELAY_STORAGE_PER_PUBKEY_MB: '1000000',
  });
  const app = await startApp(config, pino({ level: 'silent' }));
  const address = app.http.server.address();
  const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  try {
    console.log(`relay bench: ${EVENTS} events, ${SUBSCRIPTIONS} subscriptions, SQLite in ${dataDir}`);
    const raw = await rawVerificationRates(makeEvents(EVENTS));
    console.log(`  raw verification, pure JS (nostr-tools)  ${raw.pureJs.toFixed(0).padStart(7)} events/s`);
    console.log(`  raw verification, WASM (nostr-wasm)      ${raw.wasm.toFixed(0).padStart(7)} events/s`);
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
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

/**
 * What the relay benches share: a service started on SQLite with the per-client limits
 * lifted (every bench socket comes from 127.0.0.1), signed events, the raw verification
 * rates they are compared with, and the publish-and-wait-for-OK measurement.
 *
 *   const relay = await startBenchRelay();
 *   const raw = await rawVerificationRates(makeEvents(3000));
 *   const accepted = await acceptedPerSecond(relay.url, makeEvents(3000));
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
import { eventCheck } from '../src/relay/verify/signature-backends.js';

export interface BenchRelay {
  readonly url: string;
  readonly dataDir: string;
  close(): Promise<void>;
}

/** The whole service (`startApp`) on a scratch SQLite database, listening on a free port. */
export async function startBenchRelay(env: Record<string, string> = {}): Promise<BenchRelay> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-bench-'));
  const config = loadConfig({
    PORT: '0',
    RTMP_PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    // Every bench socket comes from 127.0.0.1: the per-address limits that protect a public
    // service would refuse the bench's own listeners and publishers.
    RATE_LIMIT_WS_PER_ADDRESS: '100000',
    RATE_LIMIT_HTTP_PER_ADDRESS: '100000',
    RATE_LIMIT_CHAT_PER_PUBKEY: '1000000',
    RATE_LIMIT_CHAT_PER_ADDRESS: '1000000',
    RATE_LIMIT_EVENTS_PER_PUBKEY: '1000000',
    RATE_LIMIT_EVENTS_PER_ADDRESS: '1000000',
    RELAY_STORAGE_PER_PUBKEY_MB: '1000000',
    ...env,
  });
  const app = await startApp(config, pino({ level: 'silent' }));
  const address = app.http.server.address();
  const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  return {
    url,
    dataDir,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `count` kind 1 events by one new key, created now. */
export function makeEvents(count: number, tags: string[][] = [['t', 'bench']]): VerifiedEvent[] {
  const secret = generateSecretKey();
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) =>
    finalizeEvent({ kind: 1, created_at: now, tags, content: `bench ${i} ${Math.random()}` }, secret),
  );
}

/** Fresh objects parsed from JSON: nostr-tools caches a "verified" mark on the ones it signed. */
export const freshCopies = (events: VerifiedEvent[]) => events.map((event) => JSON.parse(JSON.stringify(event)) as VerifiedEvent);

/**
 * Signatures verified per second on this thread: by nostr-tools (pure JS), by nostr-wasm, and by
 * the native addon the relay's threads use where it is built (undefined where it is not).
 */
export async function rawVerificationRates(events: VerifiedEvent[]): Promise<{ pureJs: number; wasm: number; native: number | undefined }> {
  const pureCopies = freshCopies(events);
  let start = performance.now();
  for (const event of pureCopies) if (!verifyEvent(event)) throw new Error('bench event failed to verify');
  const pureJs = pureCopies.length / ((performance.now() - start) / 1000);

  const nostr = await initNostrWasm();
  const wasmCopies = freshCopies(events);
  start = performance.now();
  for (const event of wasmCopies) nostr.verifyEvent(event);
  const wasm = wasmCopies.length / ((performance.now() - start) / 1000);

  const native = await eventCheck('native').catch(() => undefined);
  if (!native) return { pureJs, wasm, native: undefined };
  const nativeCopies = freshCopies(events);
  start = performance.now();
  for (const event of nativeCopies) if (native.check(event) !== 'valid') throw new Error('bench event failed the native check');
  return { pureJs, wasm, native: nativeCopies.length / ((performance.now() - start) / 1000) };
}

export function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** What one run of `acceptedPerSecond` cost this process (relay and publishers alike: the bench runs both). */
export interface IngestCost {
  /** CPU of every thread of the process (main, verifier threads), per accepted event. */
  readonly cpuMsPerEvent: number;
  /** Share of the run the main thread's event loop was busy. */
  readonly mainThreadBusy: number;
}

/** The cost of the last `acceptedPerSecond` run, for the bench to print beside the rate. */
export let lastIngestCost: IngestCost | undefined;

/** Publishes every event over a few connections at once and waits for every OK; all must be accepted. */
export async function acceptedPerSecond(url: string, events: VerifiedEvent[], connections = 4): Promise<number> {
  const sockets = await Promise.all(Array.from({ length: connections }, () => open(url)));
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
  // Framed before the clock starts, as a load generator prepares its requests: clients elsewhere
  // would pay for this, and here it would take the relay's cores.
  const frames = copies.map((event) => JSON.stringify(['EVENT', event]));
  const start = performance.now();
  const cpuBefore = process.cpuUsage();
  const loopBefore = performance.eventLoopUtilization();
  frames.forEach((frame, i) => sockets[i % sockets.length]?.send(frame));
  await done;
  const rate = copies.length / ((performance.now() - start) / 1000);
  const cpu = process.cpuUsage(cpuBefore);
  lastIngestCost = {
    cpuMsPerEvent: (cpu.user + cpu.system) / 1000 / copies.length,
    mainThreadBusy: performance.eventLoopUtilization(loopBefore).utilization,
  };
  for (const socket of sockets) socket.close();
  return rate;
}

/** The value at quantile `q` of ascending `sorted`. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

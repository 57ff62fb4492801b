/**
 * Chat fan-out: N subscribers (spread over sockets, as browsers hold them) on one stream's
 * chat (kind 1311 with an `a` tag), M messages a second from a few chatters, for a while.
 * Prints the delivery delay over every (message, subscription) pair, delivered/expected,
 * the subscriptions shed and whether each was told, and OKs received vs sent with their
 * latency. Target: 2,000 subscribers at 20 msg/s with p99 ≤ 250 ms and nothing lost silently.
 * Subscribers live in worker threads, so their reading does not run on the relay's thread.
 *
 *   npm run bench -- load
 *   BENCH_CHAT_RATE=50 BENCH_CHAT_SUBSCRIBERS=2000 npx tsx bench/load/chat-fanout.bench.ts
 */
import { performance } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { finalizeEvent, generateSecretKey, getPublicKey, type VerifiedEvent } from 'nostr-tools/pure';
import type WebSocket from 'ws';
import { open, quantile, startBenchRelay } from '../relay-kit.js';
import type { SubscriberReport, SubscriberSetup } from './chat-subscribers.js';
import { startTsWorker } from './ts-worker.js';

const SUBSCRIBERS = Number(process.env.BENCH_CHAT_SUBSCRIBERS ?? 2000);
/** Subscriptions per socket: 1 is one browser tab per viewer. */
const PER_SOCKET = Number(process.env.BENCH_CHAT_PER_SOCKET ?? 1);
const RATES = (process.env.BENCH_CHAT_RATE ?? '20').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_CHAT_SECONDS ?? 15);
const CHATTERS = Number(process.env.BENCH_CHAT_CHATTERS ?? 10);
const THREADS = Number(process.env.BENCH_CHAT_THREADS ?? 2);
const P99_TARGET_MS = 250;

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function startSubscribers(setup: SubscriberSetup): Promise<Worker> {
  return (await startTsWorker(new URL('./chat-subscribers.ts', import.meta.url), setup)).worker;
}

function ask<T>(worker: Worker, request: string, type: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: { type?: string }) => {
      if (message.type !== type) return;
      worker.off('message', listener);
      resolve(message as T);
    };
    worker.on('message', listener);
    worker.postMessage(request);
  });
}

async function run(rate: number): Promise<void> {
  const relay = await startBenchRelay();
  const host = getPublicKey(generateSecretKey());
  const coordinate = `30311:${host}:bench-stream`;
  try {
    const sockets = Math.ceil(SUBSCRIBERS / PER_SOCKET);
    const workers = await Promise.all(
      Array.from({ length: THREADS }, (_, t) =>
        startSubscribers({
          url: relay.url,
          sockets: Math.floor(sockets / THREADS) + (t < sockets % THREADS ? 1 : 0),
          perSocket: PER_SOCKET,
          coordinate,
          prefix: `w${t}`,
        }),
      ),
    );
    const chatters = await Promise.all(Array.from({ length: CHATTERS }, () => open(relay.url)));
    const keys = chatters.map(() => generateSecretKey());
    const total = Math.round(rate * SECONDS);
    const createdAt = Math.floor(Date.now() / 1000);
    const events: VerifiedEvent[] = Array.from({ length: total }, (_, i) =>
      finalizeEvent({ kind: 1311, created_at: createdAt, tags: [['a', coordinate]], content: `chat ${i} from the bench` }, keys[i % CHATTERS] as Uint8Array),
    );
    const index = new Map(events.map((event, i) => [event.id, i]));
    const sentAt = new Float64Array(total);
    const okAt = new Float64Array(total);
    const accepted: boolean[] = [];
    const refusals = new Map<string, number>();
    chatters.forEach((socket: WebSocket) =>
      socket.on('message', (data) => {
        const [type, id, ok, message] = JSON.parse(data.toString()) as [string, string, boolean, string];
        const i = index.get(id);
        if (type !== 'OK' || i === undefined) return;
        okAt[i] = now();
        accepted[i] = ok;
        if (!ok) refusals.set(message.split(':')[0] ?? message, (refusals.get(message.split(':')[0] ?? message) ?? 0) + 1);
      }),
    );

    // Drift-free pacing: every 5 ms, send what is due by now.
    const start = now();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((now() - start) / 1000) * rate) + 1);
      for (; sent < due; sent += 1) {
        sentAt[sent] = now();
        chatters[sent % CHATTERS]?.send(JSON.stringify(['EVENT', events[sent]]));
      }
      await sleep(5);
    }

    // Settle: until every accepted message reached every subscription, or nothing moves for 5 s.
    let last = -1;
    let stillSince = now();
    for (;;) {
      const counts = await Promise.all(workers.map((worker) => ask<{ delivered: number }>(worker, 'count', 'count')));
      const delivered = counts.reduce((sum, { delivered }) => sum + delivered, 0);
      const oks = okAt.filter((at) => at > 0).length;
      const expected = accepted.filter(Boolean).length * SUBSCRIBERS;
      if (oks === total && delivered >= expected) break;
      if (delivered !== last) [last, stillSince] = [delivered, now()];
      else if (now() - stillSince > 5000) break;
      await sleep(250);
    }

    const reports = await Promise.all(workers.map((worker) => ask<SubscriberReport>(worker, 'report', 'report')));
    const delays: number[] = [];
    let delivered = 0;
    let duplicates = 0;
    let notices = 0;
    const shed = new Map<string, string>();
    const received = new Map<string, number>();
    for (const report of reports) {
      for (let i = 0; i < report.indexes.length; i += 1) {
        delays.push((report.arrivals[i] ?? 0) - (sentAt[report.indexes[i] ?? 0] ?? 0));
      }
      delivered += report.indexes.length;
      duplicates += report.duplicates;
      notices += report.notices.length;
      for (const [id, message] of Object.entries(report.shed)) shed.set(id, message);
      for (const [id, count] of Object.entries(report.received)) received.set(id, count);
    }
    delays.sort((a, b) => a - b);
    const acceptedCount = accepted.filter(Boolean).length;
    const expected = acceptedCount * SUBSCRIBERS;
    // A subscription that was not shed must have every accepted message; what it lacks was lost silently.
    let silentlyLost = 0;
    for (const [id, count] of received) if (!shed.has(id)) silentlyLost += acceptedCount - count;
    const untold = [...shed.values()].filter((message) => message.startsWith('dropped')).length;
    const okDelays = [...okAt].map((at, i) => at - (sentAt[i] ?? 0)).filter((delay) => delay > 0).sort((a, b) => a - b);
    const oks = okDelays.length;
    const p99 = quantile(delays, 0.99);

    console.log(`chat fan-out: ${SUBSCRIBERS} subscriptions over ${sockets} sockets, ${rate} msg/s for ${SECONDS} s (${total} messages, ${CHATTERS} chatters)`);
    console.log(
      `  delivery delay  p50 ${quantile(delays, 0.5).toFixed(1)} ms  p95 ${quantile(delays, 0.95).toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${(delays.at(-1) ?? Number.NaN).toFixed(1)} ms`,
    );
    console.log(`  delivered ${delivered} of ${expected} expected (${((delivered / Math.max(1, expected)) * 100).toFixed(2)} %), ${duplicates} duplicates`);
    console.log(
      `  shed ${shed.size} subscriptions (${shed.size - untold} told, ${untold} dropped without a word), ${notices} NOTICEs;` +
        ` lost silently on subscriptions not shed: ${silentlyLost}`,
    );
    if (shed.size > 0) console.log(`  e.g. ${[...shed.values()][0]}`);
    console.log(
      `  OKs ${oks} of ${total} sent (${acceptedCount} accepted${refusals.size ? `; refused: ${[...refusals].map(([k, n]) => `${k} ×${n}`).join(', ')}` : ''}),` +
        ` OK latency p50 ${quantile(okDelays, 0.5).toFixed(1)} ms  p99 ${quantile(okDelays, 0.99).toFixed(1)} ms  max ${(okDelays.at(-1) ?? Number.NaN).toFixed(1)} ms`,
    );
    const met = p99 <= P99_TARGET_MS && silentlyLost === 0 && untold === 0 && oks === total;
    console.log(`  target (p99 ≤ ${P99_TARGET_MS} ms, nothing lost silently, every OK): ${met ? 'met' : 'NOT met'}`);
    for (const worker of workers) worker.postMessage('close');
    for (const socket of chatters) socket.close();
    await sleep(200);
    await Promise.all(workers.map((worker) => worker.terminate()));
  } finally {
    await relay.close();
  }
}

for (const rate of RATES) await run(rate);

/**
 * A worker thread of chat-fanout.bench.ts: holds many subscriber sockets, each with a few
 * subscriptions to one stream's chat, and records when each message reaches each of them
 * and whether the relay told it that it was shed (CLOSED, NOTICE or a close frame).
 *
 *   new Worker(bootstrap, { eval: true, workerData: { url, sockets: 1000, perSocket: 1, coordinate, prefix: 'w0' } })
 *   worker.postMessage('count');   // answers { type: 'count', delivered }
 *   worker.postMessage('report');  // answers the SubscriberReport
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface SubscriberSetup {
  readonly url: string;
  readonly sockets: number;
  readonly perSocket: number;
  readonly coordinate: string;
  readonly prefix: string;
}

export interface SubscriberReport {
  readonly type: 'report';
  /** Per delivery: the message's index and when it arrived (epoch ms, sub-ms precision). */
  readonly indexes: Uint32Array;
  readonly arrivals: Float64Array;
  /** Messages each subscription received, distinct. */
  readonly received: Record<string, number>;
  /** Subscriptions the relay ended, with what it said (CLOSED's message, a NOTICE, or the close reason). */
  readonly shed: Record<string, string>;
  readonly notices: string[];
  readonly duplicates: number;
}

const port = parentPort;
if (!port) throw new Error('chat-subscribers must run as a worker thread');
const setup = workerData as SubscriberSetup;
const now = () => performance.timeOrigin + performance.now();

let indexes = new Uint32Array(1 << 16);
let arrivals = new Float64Array(1 << 16);
let deliveries = 0;
let duplicates = 0;
const seen = new Map<string, Set<number>>();
const shed: Record<string, string> = {};
const notices: string[] = [];
const sockets: WebSocket[] = [];
let closing = false;

function record(subscription: string, index: number, at: number): void {
  const got = seen.get(subscription);
  if (!got) return;
  if (got.has(index)) {
    duplicates += 1;
    return;
  }
  got.add(index);
  if (deliveries === indexes.length) {
    const grownIndexes = new Uint32Array(indexes.length * 2);
    grownIndexes.set(indexes);
    indexes = grownIndexes;
    const grownArrivals = new Float64Array(arrivals.length * 2);
    grownArrivals.set(arrivals);
    arrivals = grownArrivals;
  }
  indexes[deliveries] = index;
  arrivals[deliveries] = at;
  deliveries += 1;
}

function openSocket(number: number): Promise<void> {
  const ids = Array.from({ length: setup.perSocket }, (_, i) => `${setup.prefix}-${number}-${i}`);
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(setup.url);
    sockets.push(socket);
    let waiting = ids.length;
    socket.on('message', (data) => {
      const at = now();
      const message = JSON.parse(data.toString()) as [string, string, { content?: string }];
      const [type, subscription] = message;
      if (type === 'EVENT') {
        const index = Number(message[2].content?.split(' ')[1]);
        record(subscription, index, at);
      } else if (type === 'EOSE') {
        if ((waiting -= 1) === 0) resolve();
      } else if (type === 'CLOSED') {
        shed[subscription] = `CLOSED ${String(message[2])}`;
      } else if (type === 'NOTICE') {
        notices.push(subscription);
      }
    });
    socket.once('error', reject);
    socket.once('close', (code, reason) => {
      if (closing) return;
      for (const id of ids) shed[id] ??= code === 1006 ? 'dropped without a close frame' : `closed ${code} ${reason.toString()}`;
    });
    socket.once('open', () => {
      for (const id of ids) {
        seen.set(id, new Set());
        socket.send(JSON.stringify(['REQ', id, { kinds: [1311], '#a': [setup.coordinate], limit: 0 }]));
      }
    });
  });
}

// Connect in small groups, as viewers arriving rather than one SYN flood.
for (let first = 0; first < setup.sockets; first += 50) {
  await Promise.all(Array.from({ length: Math.min(50, setup.sockets - first) }, (_, i) => openSocket(first + i)));
}
port.on('message', (request: unknown) => {
  if (request === 'close') {
    closing = true;
    for (const socket of sockets) socket.close();
  }
  if (request === 'count') port.postMessage({ type: 'count', delivered: deliveries });
  if (request === 'report') {
    const received: Record<string, number> = {};
    for (const [id, got] of seen) received[id] = got.size;
    const report: SubscriberReport = {
      type: 'report',
      indexes: indexes.slice(0, deliveries),
      arrivals: arrivals.slice(0, deliveries),
      received,
      shed,
      notices,
      duplicates,
    };
    port.postMessage(report);
  }
});
port.postMessage({ type: 'ready' });

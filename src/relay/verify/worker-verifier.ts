import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { EventVerifier, VerifyOutcome } from './event-verifier.js';
import type { SignatureBackend } from './signature-backends.js';
import type { VerifierReady, VerifyRequest, VerifyResponse } from './verify-worker.js';

interface Pending {
  readonly events: NostrEvent[];
  readonly settle: Array<{ resolve(outcome: VerifyOutcome): void; reject(error: Error): void }>;
}

interface InFlight extends Pending {
  readonly worker: Worker;
}

const RESPAWN_DELAY_MS = 1000;
/** Fewer events than this go to one thread: a message to a thread costs about as much as verifying a few. */
const MIN_SHARE = 8;

/** A verifier thread, started, with what it said when it was ready. */
export interface VerifierThread {
  readonly worker: Worker;
  readonly ready: VerifierReady;
}

/**
 * Verifies signatures in worker threads with libsecp256k1: the native addon where it is built
 * (about six times nostr-wasm's rate), else nostr-wasm (about five times the pure-JS rate), so a
 * flood of EVENTs does not hold up the event loop that serves every other connection. Events
 * arriving in the same tick travel to a worker as one batch.
 *
 *   const verifier = await WorkerVerifier.start();
 *   const ok = await verifier.verify(event);
 */
export class WorkerVerifier implements EventVerifier {
  private queue: Pending = { events: [], settle: [] };
  private flushScheduled = false;
  private next = 0;
  private seq = 0;
  private readonly inFlight = new Map<number, InFlight>();
  private closed = false;

  private readonly workers: Worker[];

  /** The backend the threads check with (and why it is WASM, when it fell back), for the service to log. */
  readonly ready: VerifierReady;

  private constructor(
    threads: readonly VerifierThread[],
    private readonly spawn: () => Promise<VerifierThread>,
  ) {
    this.workers = threads.map(({ worker }) => worker);
    for (const worker of this.workers) this.listen(worker);
    this.ready = threads[0]?.ready ?? { backend: 'wasm' };
  }

  /**
   * `spawn` starts one verifier thread; the default is the one every caller wants. A thread
   * per core: verification is most of ingest's work, and one thread alone caps it (about
   * 3,300 events/s on this machine's cores with WASM) while the main thread waits on it.
   */
  static async start(threads = Math.max(1, availableParallelism()), spawn: () => Promise<VerifierThread> = () => spawnWorker()): Promise<WorkerVerifier> {
    const started = await Promise.all(Array.from({ length: threads }, spawn));
    return new WorkerVerifier(started, spawn);
  }

  verify(event: NostrEvent): Promise<VerifyOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.events.push(event);
      this.queue.settle.push({ resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = { events: [], settle: [] };
    if (batch.events.length === 0) return;
    if (this.workers.length === 0) {
      const error = new Error('signature verification is unavailable: every verifier thread died; retrying');
      batch.settle.forEach((settle) => settle.reject(error));
      return;
    }
    // A burst is shared by every thread, not left to whichever one's turn it is.
    const share = Math.max(MIN_SHARE, Math.ceil(batch.events.length / this.workers.length));
    for (let start = 0; start < batch.events.length; start += share) {
      this.post({ events: batch.events.slice(start, start + share), settle: batch.settle.slice(start, start + share) });
    }
  }

  private post(batch: Pending): void {
    const worker = this.workers[this.next % this.workers.length] as Worker;
    const seq = (this.seq += 1);
    this.inFlight.set(seq, { ...batch, worker });
    this.next += 1;
    worker.postMessage({ seq, events: batch.events } satisfies VerifyRequest);
  }

  private listen(worker: Worker): void {
    worker.on('message', (message: VerifyResponse) => {
      const batch = this.inFlight.get(message.seq);
      if (!batch) return;
      this.inFlight.delete(message.seq);
      batch.settle.forEach((settle, index) => settle.resolve(message.results[index] ?? 'bad-signature'));
    });
    // A worker can die by an error or exit without one; either way its callers would wait forever.
    worker.on('error', (error) => this.workerDied(worker, error));
    worker.on('exit', (code) => this.workerDied(worker, new Error(`signature verifier thread exited (code ${code})`)));
  }

  private workerDied(worker: Worker, error: Error): void {
    const index = this.workers.indexOf(worker);
    if (index === -1) return;
    this.workers.splice(index, 1);
    for (const [seq, batch] of this.inFlight) {
      if (batch.worker !== worker) continue;
      this.inFlight.delete(seq);
      batch.settle.forEach((settle) => settle.reject(error));
    }
    this.replace();
  }

  private replace(): void {
    if (this.closed) return;
    this.spawn().then(
      ({ worker: replacement }) => {
        if (this.closed) return void replacement.terminate();
        this.workers.push(replacement);
        this.listen(replacement);
      },
      () => setTimeout(() => this.replace(), RESPAWN_DELAY_MS).unref(),
    );
  }
}

/**
 * Starts one verifier thread on `backend` (undefined: native where it is built, else WASM).
 * The worker runs from `dist/` as JavaScript, and from `src/` (tests, `npm run dev`) as
 * TypeScript through tsx's loader, registered inside the worker by a two-line bootstrap.
 */
export function spawnWorker(backend?: SignatureBackend): Promise<VerifierThread> {
  const workerData = { ...(backend && { backend }) };
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(
        `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(
          new URL('./verify-worker.ts', import.meta.url).href,
        )}); });`,
        { eval: true, workerData },
      )
    : new Worker(new URL('./verify-worker.js', import.meta.url), { workerData });
  worker.unref();
  return new Promise((resolve, reject) => {
    worker.once('message', (ready: VerifierReady) => resolve({ worker, ready }));
    worker.once('error', reject);
  });
}

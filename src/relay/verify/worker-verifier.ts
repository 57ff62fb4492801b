import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { NostrEvent } from '../../protocol/nostr-event.js';
import type { EventVerifier } from './event-verifier.js';
import type { VerifyRequest, VerifyResponse } from './verify-worker.js';

interface Pending {
  readonly events: NostrEvent[];
  readonly settle: Array<{ resolve(ok: boolean): void; reject(error: Error): void }>;
}

/**
 * Verifies signatures in worker threads with nostr-wasm (about five times the pure-JS
 * rate), so a flood of EVENTs does not hold up the event loop that serves every other
 * connection. Events arriving in the same tick travel to a worker as one batch.
 *
 *   const verifier = await WorkerVerifier.start();
 *   const ok = await verifier.verify(event);
 */
export class WorkerVerifier implements EventVerifier {
  private queue: Pending = { events: [], settle: [] };
  private flushScheduled = false;
  private next = 0;
  private seq = 0;
  private readonly inFlight = new Map<number, Pending>();

  private constructor(private readonly workers: Worker[]) {
    for (const worker of workers) this.listen(worker);
  }

  static async start(threads = Math.max(1, availableParallelism() - 1)): Promise<WorkerVerifier> {
    const workers = await Promise.all(Array.from({ length: threads }, spawnWorker));
    return new WorkerVerifier(workers);
  }

  verify(event: NostrEvent): Promise<boolean> {
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
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = { events: [], settle: [] };
    if (batch.events.length === 0) return;
    const seq = (this.seq += 1);
    this.inFlight.set(seq, batch);
    const worker = this.workers[this.next % this.workers.length];
    this.next += 1;
    worker?.postMessage({ seq, events: batch.events } satisfies VerifyRequest);
  }

  private listen(worker: Worker): void {
    worker.on('message', (message: VerifyResponse) => {
      const batch = this.inFlight.get(message.seq);
      if (!batch) return;
      this.inFlight.delete(message.seq);
      batch.settle.forEach((settle, index) => settle.resolve(message.results[index] === true));
    });
    worker.on('error', (error) => {
      // A dead worker would leave its callers waiting forever: fail them, and take its place.
      for (const [seq, batch] of this.inFlight) {
        this.inFlight.delete(seq);
        batch.settle.forEach((settle) => settle.reject(error));
      }
      const index = this.workers.indexOf(worker);
      void spawnWorker().then((replacement) => {
        this.workers[index] = replacement;
        this.listen(replacement);
      });
    });
  }
}

/**
 * The worker runs from `dist/` as JavaScript, and from `src/` (tests, `npm run dev`) as
 * TypeScript through tsx's loader, registered inside the worker by a two-line bootstrap.
 */
function spawnWorker(): Promise<Worker> {
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(
        `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(
          new URL('./verify-worker.ts', import.meta.url).href,
        )}); });`,
        { eval: true },
      )
    : new Worker(new URL('./verify-worker.js', import.meta.url));
  worker.unref();
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  });
}

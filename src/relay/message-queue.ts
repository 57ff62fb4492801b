import { performance } from 'node:perf_hooks';

/**
 * Longest run of one connection's messages before the queue lets the event loop read other
 * sockets. A turn per message cost more than the messages themselves under a burst.
 */
const SLICE_MS = 2;

/** How the queue holds back a client: a WebSocket's own pause and resume. */
export interface Flow {
  pause(): void;
  resume(): void;
}

/**
 * What an overlapping task leaves running once its ordered part is done (an EVENT handed to
 * storage, waiting for its commit and OK). Wrapped, since a promise returned by an async
 * function would be awaited with it.
 */
export interface Rest {
  readonly rest: Promise<void>;
}

/** A task's ordered part; an overlapping one resolves with what is left of it. */
export type Task = () => Promise<Rest | void>;

interface Queued {
  readonly task: Task;
  readonly overlaps: boolean;
}

/**
 * One connection's messages, in the order they arrived: a REQ, its CLOSE and a later REQ
 * with the same id act in the order sent, and one socket cannot start unbounded work.
 *
 * Most tasks run alone: each starts once everything before it has finished, and the next
 * starts once it has (its rest included). An overlapping
 * task (an EVENT whose effects no later message of the burst depends on before its OK) runs
 * its ordered part in turn and lets the next task start while its rest (the commit) runs:
 * a burst of one connection's EVENTs is then stored in one group commit rather than one
 * commit each. The next task that runs alone (a REQ, say) first waits for every rest, so it
 * sees every event sent before it.
 *
 * Once `pauseAt` tasks wait or overlap, the socket stops reading (TCP then holds the client
 * back) until half of them are done, so the next messages (their signatures checked ahead)
 * arrive while the rest are handled; messages already read when reading stopped are
 * bounded by `limit`.
 *
 *   const queue = new MessageQueue(socket, { pauseAt: 16, limit: 1000 });
 *   if (queue.full) refuse(); else queue.push(() => handle(message), { overlaps: isEvent });
 */
export class MessageQueue {
  private readonly waiting: Queued[] = [];
  /** The rests of overlapping tasks still running. */
  private readonly overlapping = new Set<Promise<void>>();
  private running = false;
  private paused = false;

  constructor(
    private readonly flow: Flow,
    private readonly limits: { readonly pauseAt: number; readonly limit: number },
  ) {}

  get full(): boolean {
    return this.waiting.length >= this.limits.limit;
  }

  /**
   * Queues a task behind the others. The task must not reject, nor its rest: it answers its
   * own failures.
   */
  push(task: Task, { overlaps = false }: { readonly overlaps?: boolean } = {}): void {
    this.waiting.push({ task, overlaps });
    this.pauseWhenFull();
    if (!this.running) void this.drain();
  }

  /** Drops what still waits (the client has gone). */
  clear(): void {
    this.waiting.length = 0;
  }

  private get pending(): number {
    return this.waiting.length + this.overlapping.size;
  }

  private async drain(): Promise<void> {
    this.running = true;
    let sliceStart = performance.now();
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      // Alone means after every earlier rest; overlapping, after enough of them that their number stays bounded.
      if (!next.overlaps) await Promise.all(this.overlapping);
      while (this.overlapping.size >= this.limits.pauseAt) await Promise.race(this.overlapping);
      const left = await next.task();
      // A task that runs alone is finished, rest and all, before the next one starts.
      if (left && next.overlaps) this.overlap(left.rest);
      else if (left) await left.rest;
      this.resumeBelowHalf();
      // Back to the event loop every few milliseconds, so other sockets are read in between:
      // with SQLite's synchronous driver a chain of queries would otherwise never yield to them.
      if (performance.now() - sliceStart >= SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    this.running = false;
    this.resumeBelowHalf();
  }

  private overlap(rest: Promise<void>): void {
    const tracked = rest.then(() => {
      this.overlapping.delete(tracked);
      this.resumeBelowHalf();
    });
    this.overlapping.add(tracked);
    this.pauseWhenFull();
  }

  private pauseWhenFull(): void {
    if (this.paused || this.pending < this.limits.pauseAt) return;
    this.paused = true;
    this.flow.pause();
  }

  private resumeBelowHalf(): void {
    if (!this.paused || this.pending > this.limits.pauseAt / 2) return;
    this.paused = false;
    this.flow.resume();
  }
}

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
 * One connection's messages, run one at a time in the order they arrived: a REQ, its CLOSE
 * and a later REQ with the same id act in the order sent, and one socket cannot start
 * unbounded work. Once `pauseAt` tasks wait, the socket stops reading (TCP then holds the
 * client back) until half of them are done, so the next messages (their signatures checked
 * ahead) arrive while the rest are handled; messages already read when reading stopped are
 * bounded by `limit`.
 *
 *   const queue = new MessageQueue(socket, { pauseAt: 16, limit: 1000 });
 *   if (queue.full) refuse(); else queue.push(() => handle(message));
 */
export class MessageQueue {
  private readonly waiting: (() => Promise<void>)[] = [];
  private running = false;
  private paused = false;

  constructor(
    private readonly flow: Flow,
    private readonly limits: { readonly pauseAt: number; readonly limit: number },
  ) {}

  get full(): boolean {
    return this.waiting.length >= this.limits.limit;
  }

  /** Queues a task behind the others. The task must not reject: it answers its own failures. */
  push(task: () => Promise<void>): void {
    this.waiting.push(task);
    if (!this.paused && this.waiting.length >= this.limits.pauseAt) {
      this.paused = true;
      this.flow.pause();
    }
    if (!this.running) void this.drain();
  }

  /** Drops what still waits (the client has gone). */
  clear(): void {
    this.waiting.length = 0;
  }

  private async drain(): Promise<void> {
    this.running = true;
    let sliceStart = performance.now();
    for (let task = this.waiting.shift(); task; task = this.waiting.shift()) {
      await task();
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

  private resumeBelowHalf(): void {
    if (!this.paused || this.waiting.length > this.limits.pauseAt / 2) return;
    this.paused = false;
    this.flow.resume();
  }
}

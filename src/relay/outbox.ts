import type { WebSocket } from 'ws';

/** The byte stream under a WebSocket, which can hold writes and send them as one (`net.Socket`). */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * One connection's outgoing frames, sent together once per event-loop turn: every frame
 * queued during a turn (a burst of chat fanned out, OKs, a REQ's stored events) goes out in
 * one corked write, one system call instead of one per frame. Order is kept.
 *
 *   const outbox = new Outbox(webSocket, rawSocket);
 *   outbox.push('["EOSE","sub"]');
 *   if (outbox.backlog > bound) shed();
 */
export class Outbox {
  private frames: string[] = [];
  private bytes = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly transport?: Corkable,
  ) {}

  /** Bytes queued here and in the socket, not yet taken by the kernel: how far behind this reader is. */
  get backlog(): number {
    return this.socket.bufferedAmount + this.bytes;
  }

  push(frame: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.frames.push(frame);
    this.bytes += frame.length;
    if (this.frames.length === 1) scheduleFlush(this);
  }

  /** Forgets what was not sent yet (the connection is being closed). */
  clear(): void {
    this.frames = [];
    this.bytes = 0;
  }

  flush(): void {
    const frames = this.frames;
    this.clear();
    if (frames.length === 0 || this.socket.readyState !== this.socket.OPEN) return;
    // ws corks each frame's header and payload itself; an outer cork (counted) holds them all.
    this.transport?.cork();
    for (const frame of frames) this.socket.send(frame);
    this.transport?.uncork();
  }
}

/** Outboxes with frames waiting; all flushed by one setImmediate, not one per connection. */
const dirty = new Set<Outbox>();

function scheduleFlush(outbox: Outbox): void {
  if (dirty.size === 0) setImmediate(flushAll);
  dirty.add(outbox);
}

function flushAll(): void {
  const outboxes = [...dirty];
  dirty.clear();
  for (const outbox of outboxes) outbox.flush();
}

/**
 * Who is watching, counted from playlist and segment fetches. A viewer is one playback
 * session: the origin gives each player a session id in the URLs of the multivariant
 * playlist it serves, so every rendition it switches to carries the same id, and in a
 * cookie, so that a reload is the same viewer again. A session is watching while it has
 * fetched something within the window; one that comes back later is not a new viewer.
 *
 *   const viewers = new ViewerSessions({ windowMs: 30_000 });
 *   viewers.touch(streamId, sessionId);   // true: a new viewer
 *   viewers.snapshot(streamId) // { current, peak, total, watchSeconds }
 */
export interface ViewerCounts {
  readonly current: number;
  readonly peak: number;
  /** Distinct sessions since the stream started. */
  readonly total: number;
  /** Sum of the watch time of every session, ended or not, in seconds. */
  readonly watchSeconds: number;
}

interface StreamViewers {
  readonly sessions: Map<string, { first: number; last: number }>;
  /** Every session counted in `total`, so that one coming back after the window is not counted twice. */
  readonly seen: Set<string>;
  peak: number;
  total: number;
  /** Watch time of sessions that have left the window. */
  finishedMs: number;
}

const MAX_SESSIONS_PER_STREAM = 100_000;

export class ViewerSessions {
  private readonly streams = new Map<string, StreamViewers>();
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: { windowMs?: number; now?: () => number } = {}) {
    this.windowMs = options.windowMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** Counts a fetch of the session; true when it is a viewer not counted in `total` before. */
  touch(streamId: string, sessionId: string): boolean {
    const now = this.now();
    const viewers = this.viewersOf(streamId);
    const session = viewers.sessions.get(sessionId);
    if (session) {
      session.last = now;
      return false;
    }
    if (viewers.sessions.size >= MAX_SESSIONS_PER_STREAM) this.expire(viewers, now);
    if (viewers.sessions.size >= MAX_SESSIONS_PER_STREAM) return false;
    viewers.sessions.set(sessionId, { first: now, last: now });
    viewers.peak = Math.max(viewers.peak, viewers.sessions.size);
    if (viewers.seen.has(sessionId)) return false;
    viewers.total += 1;
    // Past the bound a returning session is counted again: an overcount, never unbounded memory.
    if (viewers.seen.size < MAX_SESSIONS_PER_STREAM) viewers.seen.add(sessionId);
    return true;
  }

  snapshot(streamId: string): ViewerCounts {
    const viewers = this.streams.get(streamId);
    if (!viewers) return { current: 0, peak: 0, total: 0, watchSeconds: 0 };
    const now = this.now();
    this.expire(viewers, now);
    let watchingMs = viewers.finishedMs;
    for (const session of viewers.sessions.values()) watchingMs += session.last - session.first;
    return {
      current: viewers.sessions.size,
      peak: viewers.peak,
      total: viewers.total,
      watchSeconds: Math.round(watchingMs / 1000),
    };
  }

  /** Streams with sessions in memory, for the sampler. */
  activeStreams(): string[] {
    return [...this.streams.keys()];
  }

  /** Forgets an ended stream once its final counts are stored. */
  forget(streamId: string): void {
    this.streams.delete(streamId);
  }

  private viewersOf(streamId: string): StreamViewers {
    let viewers = this.streams.get(streamId);
    if (!viewers) {
      viewers = { sessions: new Map(), seen: new Set(), peak: 0, total: 0, finishedMs: 0 };
      this.streams.set(streamId, viewers);
    }
    return viewers;
  }

  private expire(viewers: StreamViewers, now: number): void {
    for (const [id, session] of viewers.sessions) {
      if (now - session.last <= this.windowMs) continue;
      viewers.finishedMs += session.last - session.first;
      viewers.sessions.delete(id);
    }
  }
}

import type { PlaylistWatch, SegmentStore } from '../segments/segment-store.js';
import { LiveWindow, type LiveFile, type LivePlaylist } from './live-window.js';

export type { LiveFile, LivePlaylist } from './live-window.js';

export interface LiveWindowCacheOptions {
  /** Bytes of segments and parts kept per stream: its live window (tens of MB for a 720p ladder) and a margin. */
  readonly budgetBytes?: number;
  /** A stream nobody asked for this long is forgotten (its memory and its file watch). */
  readonly idleMs?: number;
}

/**
 * The live window of every stream being watched, in memory (see LiveWindow): a stream's window
 * opens with the first request for it and fills as the writer finishes files, so thousands
 * of viewers are served without a file-system call each. A stream's window is dropped when
 * it stops being live (`end`) or nobody asked for it for `idleMs`.
 *
 *   const cache = new LiveWindowCache(store, { budgetBytes: 64 * 2 ** 20 });
 *   const playlist = await cache.playlist(id, ['720p', 'index.m3u8']);
 *   const segment = await cache.file(id, ['720p', 'seg_00012.m4s']);   // { size, bytes } | undefined
 */
export class LiveWindowCache {
  private readonly windows = new Map<string, LiveWindow>();
  /** Per stream, who waits to hear of new playlists; kept apart from the window, which may be dropped and opened again. */
  private readonly listeners = new Map<string, Set<(rendition: string) => void>>();
  private readonly budgetBytes: number;
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly store: SegmentStore,
    options: LiveWindowCacheOptions = {},
  ) {
    this.budgetBytes = options.budgetBytes ?? 64 * 2 ** 20;
    this.idleMs = options.idleMs ?? 60_000;
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, this.idleMs / 2));
    this.sweeper.unref();
  }

  playlist(streamId: string, parts: readonly string[]): Promise<LivePlaylist> {
    return this.window(streamId).playlist(parts);
  }

  file(streamId: string, parts: readonly string[]): Promise<LiveFile | undefined> {
    return this.window(streamId).file(parts);
  }

  /**
   * Reports a rendition each time the window holds a new version of its playlist, for requests
   * held until a playlist has what they ask for (PlaylistHolds): woken by the window, they read
   * the new version from it, never the one before.
   */
  watchPlaylists(streamId: string, listener: (rendition: string) => void): PlaylistWatch {
    let listeners = this.listeners.get(streamId);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(streamId, listeners);
    }
    const own = listeners;
    own.add(listener);
    this.window(streamId);
    return {
      close: () => {
        own.delete(listener);
        if (own.size === 0 && this.listeners.get(streamId) === own) this.listeners.delete(streamId);
      },
    };
  }

  /** What a stream's window holds now (nothing when it has none), for tests and metrics. */
  held(streamId: string): { files: number; bytes: number } {
    return this.windows.get(streamId)?.held() ?? { files: 0, bytes: 0 };
  }

  /** The stream stopped being live: its memory goes. Requests still held go on hearing of new playlists, from a fresh window. */
  end(streamId: string): void {
    const window = this.windows.get(streamId);
    if (!window) return;
    this.windows.delete(streamId);
    window.close();
    if (this.listeners.has(streamId)) this.window(streamId);
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const window of this.windows.values()) window.close();
    this.windows.clear();
    this.listeners.clear();
  }

  private window(streamId: string): LiveWindow {
    let window = this.windows.get(streamId);
    if (!window) {
      window = new LiveWindow(this.store, streamId, this.budgetBytes, (rendition) => {
        for (const listener of this.listeners.get(streamId) ?? []) listener(rendition);
      });
      this.windows.set(streamId, window);
    }
    return window;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [streamId, window] of this.windows) {
      if (now - window.lastUsed < this.idleMs || this.listeners.has(streamId)) continue;
      this.windows.delete(streamId);
      window.close();
    }
  }
}

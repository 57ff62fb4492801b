import type { PlaylistWatch, SegmentStore } from '../segments/segment-store.js';

interface Waiter {
  readonly rendition: string;
  wake(): void;
}

interface Watched {
  readonly watch: PlaylistWatch;
  readonly waiters: Set<Waiter>;
}

/**
 * Holds requests until a stream's files have what they ask for: woken by the segment store's
 * playlist watch (inotify), one watch per stream however many requests wait, closed when the
 * last of them is answered. The writer rewrites a rendition's playlist after every part, so a
 * part file is checked again on the same wake-up.
 *
 *   const text = await holds.until(id, '720p', async () => (has(await read()) ? text : undefined), 6000);
 *   // undefined: the time ran out
 */
export class PlaylistHolds {
  private readonly streams = new Map<string, Watched>();

  /** `store`: the segment store, or the live window cache (which tells once it holds the new playlist). */
  constructor(private readonly store: Pick<SegmentStore, 'watchPlaylists'>) {}

  async until<T>(streamId: string, rendition: string, check: () => Promise<T | undefined>, limitMs: number): Promise<T | undefined> {
    const first = await check();
    if (first !== undefined) return first;
    return new Promise<T | undefined>((resolve) => {
      let checking = false;
      let again = false;
      const finish = (value: T | undefined) => {
        clearTimeout(timer);
        this.remove(streamId, waiter);
        resolve(value);
      };
      const waiter: Waiter = {
        rendition,
        // One check at a time; a wake-up during a check runs one more after it.
        wake: () => {
          if (checking) {
            again = true;
            return;
          }
          checking = true;
          void check()
            .catch(() => undefined)
            .then((value) => {
              checking = false;
              if (value !== undefined) finish(value);
              else if (again) {
                again = false;
                waiter.wake();
              }
            });
        },
      };
      const timer = setTimeout(() => finish(undefined), limitMs);
      this.add(streamId, waiter);
    });
  }

  /** Every held request of the stream checks again (the stream ended, say). */
  wakeAll(streamId: string): void {
    for (const waiter of this.streams.get(streamId)?.waiters ?? []) waiter.wake();
  }

  private add(streamId: string, waiter: Waiter): void {
    let watched = this.streams.get(streamId);
    if (!watched) {
      const waiters = new Set<Waiter>();
      const watch = this.store.watchPlaylists(streamId, (rendition) => {
        for (const each of waiters) if (each.rendition === rendition) each.wake();
      });
      watched = { watch, waiters };
      this.streams.set(streamId, watched);
    }
    watched.waiters.add(waiter);
  }

  private remove(streamId: string, waiter: Waiter): void {
    const watched = this.streams.get(streamId);
    if (!watched?.waiters.delete(waiter) || watched.waiters.size > 0) return;
    watched.watch.close();
    this.streams.delete(streamId);
  }
}

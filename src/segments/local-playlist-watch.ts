import { mkdirSync, watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { MASTER_PLAYLIST, RENDITION_NAME, RENDITION_PLAYLIST } from './playback-paths.js';
import type { PlaylistWatch } from './segment-store.js';

/** How often the fallback looks, when the system gives no more file watches (inotify's limit). */
const POLL_MS = 200;

/**
 * Reports each rendition playlist ffmpeg writes below a stream's live folder, from the file
 * system's own notifications (inotify on Linux): ffmpeg writes `index.m3u8.tmp` and renames it
 * into place, which is one event on the rendition's folder. The rendition folders appear once
 * ffmpeg starts, so the stream's folder is watched for them; a playlist written before its
 * folder was watched is found by looking once when the watch on it begins. Should the system
 * refuse a watch, the folders are polled instead, comparing each playlist's modification time.
 * The multivariant playlist, renamed into the stream's folder the same way, is reported to
 * `multivariant` when one is given.
 *
 *   const watch = new LocalPlaylistWatch(liveDir, (rendition) => …, () => …);
 *   watch.close();
 */
export class LocalPlaylistWatch implements PlaylistWatch {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly written = new Map<string, number>();
  private poller: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly listener: (rendition: string) => void,
    /** Told when the multivariant playlist is written (renamed into place in the stream's folder). */
    private readonly multivariant?: () => void,
  ) {
    mkdirSync(dir, { recursive: true });
    if (!this.watch('', dir, (name) => (name === MASTER_PLAYLIST ? void this.reportMultivariant() : this.watchRendition(name)))) {
      this.fallBack();
      return;
    }
    void readdir(dir).then(
      (names) => {
        names.forEach((name) => this.watchRendition(name));
        if (names.includes(MASTER_PLAYLIST)) void this.reportMultivariant();
      },
      () => undefined,
    );
  }

  close(): void {
    this.closed = true;
    this.stopWatching();
    clearInterval(this.poller);
  }

  private watchRendition(name: string): void {
    if (this.closed || this.poller || this.watchers.has(name) || !RENDITION_NAME.test(name)) return;
    const folder = path.join(this.dir, name);
    const watching = this.watch(name, folder, (file) => {
      if (file === RENDITION_PLAYLIST) void this.report(name);
    });
    if (watching) void this.report(name);
  }

  /** False when there is nothing (more) to watch: the folder went, or the fallback took over. */
  private watch(key: string, folder: string, onName: (name: string) => void): boolean {
    try {
      // Not persistent, like a timer that is unref'd: a watch never keeps the process alive.
      const watcher = watch(folder, { persistent: false }, (_event, name) => {
        if (name) onName(name);
      });
      watcher.on('error', () => this.fallBack());
      this.watchers.set(key, watcher);
      return true;
    } catch (error) {
      // A folder that is gone (or was a file) has nothing to report; anything else is the system refusing.
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.fallBack();
      return false;
    }
  }

  private async report(rendition: string): Promise<void> {
    const info = await stat(path.join(this.dir, rendition, RENDITION_PLAYLIST)).catch(() => undefined);
    if (info?.isFile() && !this.closed) this.listener(rendition);
  }

  private async reportMultivariant(): Promise<void> {
    if (!this.multivariant) return;
    const info = await stat(path.join(this.dir, MASTER_PLAYLIST)).catch(() => undefined);
    if (info?.isFile() && !this.closed) this.multivariant();
  }

  private fallBack(): void {
    if (this.closed || this.poller) return;
    this.stopWatching();
    this.poller = setInterval(() => void this.poll(), POLL_MS);
    this.poller.unref();
  }

  private async poll(): Promise<void> {
    const names: string[] = await readdir(this.dir).catch(() => []);
    if (this.multivariant && names.includes(MASTER_PLAYLIST)) {
      const info = await stat(path.join(this.dir, MASTER_PLAYLIST)).catch(() => undefined);
      if (info?.isFile() && this.written.get('') !== info.mtimeMs && !this.closed) {
        this.written.set('', info.mtimeMs);
        this.multivariant();
      }
    }
    for (const name of names.filter((entry) => RENDITION_NAME.test(entry))) {
      const info = await stat(path.join(this.dir, name, RENDITION_PLAYLIST)).catch(() => undefined);
      if (!info?.isFile() || this.written.get(name) === info.mtimeMs || this.closed) continue;
      this.written.set(name, info.mtimeMs);
      this.listener(name);
    }
  }

  private stopWatching(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}

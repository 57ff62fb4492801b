import { createReadStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LocalPlaylistWatch } from './local-playlist-watch.js';
import { THUMBNAIL_FILE, type SegmentArea } from './playback-paths.js';
import type { PlaylistWatch, SegmentStore, StoredFile } from './segment-store.js';

/**
 * The segment store on local disk: `<dataDir>/hls/<id>/` holds a stream's live output and
 * thumbnail, `<dataDir>/vod/<id>/` its recording, where ffmpeg writes them.
 *
 *   const store = new LocalSegmentStore(config.dataDir);
 */
export class LocalSegmentStore implements SegmentStore {
  constructor(private readonly dataDir: string) {}

  liveDir(streamId: string): string {
    return this.folder('hls', streamId);
  }

  recordingDir(streamId: string): string {
    return this.folder('vod', streamId);
  }

  async file(area: SegmentArea, streamId: string, parts: readonly string[]): Promise<StoredFile | undefined> {
    const file = path.join(this.folder(area, streamId), ...parts);
    const info = await stat(file).catch(() => undefined);
    return info?.isFile() ? { size: info.size, read: () => createReadStream(file) } : undefined;
  }

  readBytes(area: SegmentArea, streamId: string, parts: readonly string[]): Promise<Buffer | undefined> {
    // A folder (EISDIR) or a missing file is nothing.
    return readFile(path.join(this.folder(area, streamId), ...parts)).catch(() => undefined);
  }
  readText(area: SegmentArea, streamId: string, parts: readonly string[]): Promise<string | undefined> {
    return readFile(path.join(this.folder(area, streamId), ...parts), 'utf8').catch(() => undefined);
  }

  async writeLive(streamId: string, name: string, content: string): Promise<void> {
    const file = path.join(this.liveDir(streamId), name);
    await writeFile(`${file}.tmp`, content);
    await rename(`${file}.tmp`, file);
  }

  watchPlaylists(streamId: string, listener: (rendition: string) => void, multivariant?: () => void): PlaylistWatch {
    return new LocalPlaylistWatch(this.liveDir(streamId), listener, multivariant);
  }

  async clearLiveWindow(streamId: string): Promise<void> {
    const dir = this.liveDir(streamId);
    for (const entry of await readdir(dir).catch(() => [])) {
      if (entry !== THUMBNAIL_FILE) await rm(path.join(dir, entry), { recursive: true, force: true });
    }
  }

  async discard(streamId: string): Promise<void> {
    await rm(this.liveDir(streamId), { recursive: true, force: true });
    await rm(this.recordingDir(streamId), { recursive: true, force: true });
  }

  private folder(area: SegmentArea, streamId: string): string {
    return path.join(this.dataDir, area, streamId);
  }
}

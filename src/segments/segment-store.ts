import type { Readable } from 'node:stream';
import type { SegmentArea } from './playback-paths.js';

/** A file of a stream, found: its size, and its bytes when asked for. */
export interface StoredFile {
  readonly size: number;
  read(): Readable;
}

export interface PlaylistWatch {
  close(): void;
}

/**
 * Where a stream's playlists, segments, thumbnail and recording are kept. The writer is
 * ffmpeg, which writes into local folders itself; a store keeps what it writes there and
 * hands it to the origin. Local disk is the one implementation today (object storage,
 * uploading from the same folders, is the next); nothing else builds a path to these files.
 *
 *   const store: SegmentStore = new LocalSegmentStore(dataDir);
 *   spawn(ffmpeg, liveArgs(plans, { outputDir: store.liveDir(id), … }));
 *   const watch = store.watchPlaylists(id, (rendition) => …);   // each playlist ffmpeg writes
 *   const file = await store.file('hls', id, ['720p', 'seg_00012.ts']);
 */
export interface SegmentStore {
  /** The folder ffmpeg writes a stream's live ladder into: `<rendition>/index.m3u8` and segments. */
  liveDir(streamId: string): string;
  /** The folder ffmpeg records a stream into, one part per run. */
  recordingDir(streamId: string): string;
  /** `parts`: the validated path below the stream's folder. Undefined when there is no such file. */
  file(area: SegmentArea, streamId: string, parts: readonly string[]): Promise<StoredFile | undefined>;
  /** A file's bytes in one read (no stat, no stream: for small files), or undefined when there is no such file. */
  readBytes(area: SegmentArea, streamId: string, parts: readonly string[]): Promise<Buffer | undefined>;
  /** A file's text, or undefined when it cannot be read. */
  readText(area: SegmentArea, streamId: string, parts: readonly string[]): Promise<string | undefined>;
  /** Replaces a file of the live output whole: readers see the old content or the new, never a part. */
  writeLive(streamId: string, name: string, content: string): Promise<void>;
  /**
   * Reports a rendition each time its media playlist is written, and at once each one already
   * written when the watch starts; `multivariant` likewise for the multivariant playlist.
   */
  watchPlaylists(streamId: string, listener: (rendition: string) => void, multivariant?: () => void): PlaylistWatch;
  /** Removes the live window of a stream; its thumbnail stays as the stream's picture. */
  clearLiveWindow(streamId: string): Promise<void>;
  /** Removes everything of a stream: live output, thumbnail and recording. */
  discard(streamId: string): Promise<void>;
}

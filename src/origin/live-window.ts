import { MASTER_PLAYLIST, RENDITION_PLAYLIST } from '../segments/playback-paths.js';
import type { PlaylistWatch, SegmentStore } from '../segments/segment-store.js';
import { isWholePlaylist } from './playlist-reader.js';

/** A playlist of the live window: the last whole text (a new string with each version), or why there is none. */
export type LivePlaylist =
  | { readonly status: 'whole'; readonly text: string }
  | { readonly status: 'missing' }
  | { readonly status: 'broken' };

/** A segment, part or init file of the live window, in memory. */
export interface LiveFile {
  readonly size: number;
  readonly bytes: Buffer;
}

const MISSING: LivePlaylist = { status: 'missing' };
const BROKEN: LivePlaylist = { status: 'broken' };

/**
 * One live stream's files in memory: its playlists as the writer last finished them and the
 * segments, parts and init files they name. The segment store's playlist watch says when a
 * rendition playlist was renamed into place; that playlist and every file it names are then
 * complete, so they are read once (each file by one read however many requests want it) and
 * served from memory until the playlist no longer names them. Only files a whole playlist
 * names are kept, so a part still being written is never held; past the byte budget the
 * oldest files go first (they are read from the store again when asked for).
 *
 *   const window = new LiveWindow(store, id, 64 * 2 ** 20, (rendition) => wake(rendition));
 *   const playlist = await window.playlist(['720p', 'index.m3u8']);   // { status: 'whole', text }
 *   window.close();
 */
export class LiveWindow {
  /** When a request last used the window (the cache closes windows nobody uses). */
  lastUsed = Date.now();
  private readonly playlists = new Map<string, Extract<LivePlaylist, { status: 'whole' }>>();
  /** In insertion order: the first is the oldest, the first to go past the budget. */
  private readonly files = new Map<string, LiveFile>();
  /** Per rendition, the files its current playlist names. */
  private readonly named = new Map<string, Set<string>>();
  /** Reads under way, shared by every request that misses while one runs. */
  private readonly playlistReads = new Map<string, Promise<LivePlaylist>>();
  private readonly fileReads = new Map<string, Promise<LiveFile | undefined>>();
  /** The newest read issued per playlist: an older read that finishes later is not applied. */
  private readonly issued = new Map<string, number>();
  private readonly watch: PlaylistWatch;
  private bytes = 0;
  private closed = false;

  constructor(
    private readonly store: SegmentStore,
    private readonly streamId: string,
    private readonly budgetBytes: number,
    /** Told of each rendition once the window holds the new version of its playlist. */
    private readonly onPlaylist: (rendition: string) => void = () => undefined,
  ) {
    this.watch = store.watchPlaylists(
      streamId,
      (rendition) => void this.refresh([rendition, RENDITION_PLAYLIST]),
      () => void this.refresh([MASTER_PLAYLIST]),
    );
  }

  /** The playlist below the stream's folder (`['master.m3u8']`, `['720p', 'index.m3u8']`). */
  async playlist(parts: readonly string[]): Promise<LivePlaylist> {
    this.lastUsed = Date.now();
    const key = parts.join('/');
    const known = this.playlists.get(key);
    if (known) return known;
    return this.playlistReads.get(key) ?? this.refresh(parts);
  }

  /** A file below the stream's folder, from memory when the window holds it; undefined when there is none. */
  async file(parts: readonly string[]): Promise<LiveFile | undefined> {
    this.lastUsed = Date.now();
    const key = parts.join('/');
    const held = this.files.get(key);
    if (held) return held;
    const flight = this.fileReads.get(key);
    if (flight) return flight;
    // Not (yet) named by a whole playlist: maybe still being written, so read for this request alone and not kept.
    if (!this.isNamed(key, parts)) return this.store.readBytes('hls', this.streamId, parts).then((bytes) => bytes && { size: bytes.length, bytes });
    return this.load(key, parts);
  }

  /** What is held, for tests and metrics. */
  held(): { files: number; bytes: number } {
    return { files: this.files.size, bytes: this.bytes };
  }

  /** Forgets everything and stops watching; reads still under way are discarded when they end. */
  close(): void {
    this.closed = true;
    this.watch.close();
    this.playlists.clear();
    this.files.clear();
    this.named.clear();
    this.bytes = 0;
  }

  /** Reads a playlist again (the writer finished a new version) and takes in the files it names. */
  private refresh(parts: readonly string[]): Promise<LivePlaylist> {
    const key = parts.join('/');
    const ticket = (this.issued.get(key) ?? 0) + 1;
    this.issued.set(key, ticket);
    const read = this.store.readText('hls', this.streamId, parts).then((text): LivePlaylist | Promise<LivePlaylist> => {
      if (this.playlistReads.get(key) === read) this.playlistReads.delete(key);
      // Only the playlists the watch reports are kept (any other would never be read again).
      if (this.closed || !isWatched(parts)) return text === undefined ? MISSING : isWholePlaylist(text) ? { status: 'whole', text } : BROKEN;
      // A newer read was issued meanwhile (the writer finished another version): its answer is the one.
      const newer = this.issued.get(key) === ticket ? undefined : this.playlistReads.get(key);
      if (newer) return newer;
      if (text === undefined) return this.playlists.get(key) ?? MISSING;
      // A playlist that is not whole (a full disk): the last whole one stands.
      if (!isWholePlaylist(text)) return this.playlists.get(key) ?? BROKEN;
      const playlist = { status: 'whole', text } as const;
      this.playlists.set(key, playlist);
      if (parts.length === 2 && parts[0] !== undefined) this.takeIn(parts[0], text);
      return playlist;
    });
    this.playlistReads.set(key, read);
    return read;
  }

  /** A rendition's new playlist: what fell out of it goes, what is new is read, waiters are told. */
  private takeIn(rendition: string, text: string): void {
    const now = new Set(namedFiles(text).map((name) => `${rendition}/${name}`));
    for (const key of this.named.get(rendition) ?? []) if (!now.has(key)) this.evict(key);
    this.named.set(rendition, now);
    this.onPlaylist(rendition);
    for (const key of now) if (!this.files.has(key) && !this.fileReads.has(key)) void this.load(key, key.split('/'));
  }

  private load(key: string, parts: readonly string[]): Promise<LiveFile | undefined> {
    const read = this.store.readBytes('hls', this.streamId, parts).then((bytes) => {
      this.fileReads.delete(key);
      if (bytes === undefined) return undefined;
      const file = { size: bytes.length, bytes };
      if (!this.closed && this.isNamed(key, parts)) this.keep(key, file);
      return file;
    });
    this.fileReads.set(key, read);
    return read;
  }

  /** Named by its rendition's current whole playlist, so written whole. */
  private isNamed(key: string, parts: readonly string[]): boolean {
    return parts.length === 2 && parts[0] !== undefined && this.named.get(parts[0])?.has(key) === true;
  }

  private keep(key: string, file: LiveFile): void {
    this.evict(key);
    this.files.set(key, file);
    this.bytes += file.size;
    for (const oldest of this.files.keys()) {
      if (this.bytes <= this.budgetBytes) break;
      this.evict(oldest);
    }
  }

  private evict(key: string): void {
    const file = this.files.get(key);
    if (!file) return;
    this.files.delete(key);
    this.bytes -= file.size;
  }
}

/** The multivariant playlist and the renditions' media playlists: what the writer's watch reports. */
function isWatched(parts: readonly string[]): boolean {
  return parts.length === 1 ? parts[0] === MASTER_PLAYLIST : parts.length === 2 && parts[1] === RENDITION_PLAYLIST;
}

/**
 * The files a media playlist names in its own folder: segments, parts and the init file. The
 * preload hint names a part not written yet, and rendition reports name other playlists.
 */
export function namedFiles(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#EXT-X-PRELOAD-HINT') || line.startsWith('#EXT-X-RENDITION-REPORT')) continue;
    if (!line.startsWith('#')) names.push(line.trim());
    else if (line.startsWith('#EXT-X-PART:') || line.startsWith('#EXT-X-MAP:')) {
      const uri = /URI="([^"]*)"/.exec(line)?.[1];
      if (uri !== undefined) names.push(uri);
    }
  }
  // Only plain names in the rendition's folder: a URI elsewhere is not this window's file.
  return names.map((name) => name.split('?')[0] ?? '').filter((name) => /^[A-Za-z0-9_.-]+$/.test(name) && !name.startsWith('.'));
}

/**
 * Reads playlists for the origin and never hands out a broken one: ffmpeg renames its
 * temporary playlist into place even when writing it failed, so a full disk leaves an empty
 * or cut-off playlist behind. A playlist that is not whole is answered with the last whole
 * one read from the same file, or with nothing (the origin then answers 503).
 *
 *   const playlists = new PlaylistReader();
 *   const text = await playlists.read('hls/<id>/720p/index.m3u8', () => store.readText('hls', id, ['720p', 'index.m3u8']));
 *   // undefined: nothing whole to serve
 */
export class PlaylistReader {
  private readonly lastWhole = new Map<string, string>();

  constructor(private readonly maxEntries = 10_000) {}

  /** `key` names the file (the last whole text is kept under it); `load` reads it, undefined when it cannot. */
  async read(key: string, load: () => Promise<string | undefined>): Promise<string | undefined> {
    const text = await load();
    if (text === undefined || !isWholePlaylist(text)) return this.lastWhole.get(key);
    // Re-inserted so that the map's order is least recently read first.
    this.lastWhole.delete(key);
    this.lastWhole.set(key, text);
    if (this.lastWhole.size > this.maxEntries) {
      const oldest = this.lastWhole.keys().next().value;
      if (oldest !== undefined) this.lastWhole.delete(oldest);
    }
    return text;
  }
}

/**
 * Whole: the header, every line finished (a cut-off write ends mid-line), and something to
 * play: a rendition (multivariant), a segment, or the first parts of one (LL-HLS, just started).
 */
export function isWholePlaylist(text: string): boolean {
  if (!text.startsWith('#EXTM3U') || !text.endsWith('\n')) return false;
  const lines = text.split('\n');
  if (lines.some((line) => line.startsWith('#EXT-X-STREAM-INF:'))) return true;
  if (lines.some((line) => line.startsWith('#EXT-X-PART:'))) return true;
  return lines.some((line) => line.startsWith('#EXTINF:')) && lines.some((line) => line.trim() !== '' && !line.startsWith('#'));
}

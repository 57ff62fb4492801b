import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { SegmentArea } from '../segments/playback-paths.js';
import { LocalSegmentStore } from '../segments/local-segment-store.js';
import { LiveWindowCache } from './live-window-cache.js';
import { namedFiles } from './live-window.js';

/** The real store on a temp folder, counting the reads that reach it. */
class CountingStore extends LocalSegmentStore {
  readonly reads = new Map<string, number>();
  override readBytes(area: SegmentArea, streamId: string, parts: readonly string[]) {
    this.count(parts);
    return super.readBytes(area, streamId, parts);
  }
  override readText(area: SegmentArea, streamId: string, parts: readonly string[]) {
    this.count(parts);
    return super.readText(area, streamId, parts);
  }
  private count(parts: readonly string[]) {
    const key = parts.join('/');
    this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
  }
}

const SEGMENT_BYTES = 1000;
const media = (first: number, last: number) =>
  `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:${first}\n#EXT-X-MAP:URI="init.mp4"\n` +
  Array.from({ length: last - first + 1 }, (_, i) => `#EXTINF:2.000,\nseg_${first + i}.m4s\n`).join('') +
  `#EXT-X-PART:DURATION=0.5,URI="part_${last + 1}_0.m4s"\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_${last + 1}_1.m4s"\n`;

describe('LiveWindowCache', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-window-'));
  const caches: LiveWindowCache[] = [];
  afterEach(() => caches.splice(0).forEach((cache) => cache.close()));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  function setUp(streamId: string, budgetBytes = 10 * 2 ** 20) {
    const store = new CountingStore(dataDir);
    const cache = new LiveWindowCache(store, { budgetBytes });
    caches.push(cache);
    const folder = path.join(store.liveDir(streamId), '720p');
    mkdirSync(folder, { recursive: true });
    const write = (name: string, content: string | Buffer) => {
      // As ffmpeg does: written aside, renamed into place.
      writeFileSync(path.join(folder, `${name}.tmp`), content);
      renameSync(path.join(folder, `${name}.tmp`), path.join(folder, name));
    };
    const segment = (n: number) => write(`seg_${n}.m4s`, Buffer.alloc(SEGMENT_BYTES, n));
    write('init.mp4', Buffer.alloc(100, 1));
    return { store, cache, folder, write, segment };
  }

  it('names the segments, parts and init file of a playlist, not the part it only hints at', () => {
    expect(namedFiles(media(3, 4))).toEqual(['init.mp4', 'seg_3.m4s', 'seg_4.m4s', 'part_5_0.m4s']);
  });

  it('serves the window from memory once the writer finished it, each file read once however many ask', async () => {
    const { store, cache, folder, write, segment } = setUp('s1');
    for (let n = 1; n <= 3; n += 1) segment(n);
    write('part_4_0.m4s', Buffer.alloc(200, 4));
    write('index.m3u8', media(1, 3));

    const playlists = await Promise.all(Array.from({ length: 50 }, () => cache.playlist('s1', ['720p', 'index.m3u8'])));
    expect(playlists.every((playlist) => playlist.status === 'whole' && playlist.text === media(1, 3))).toBe(true);
    const segments = await Promise.all(Array.from({ length: 50 }, () => cache.file('s1', ['720p', 'seg_2.m4s'])));
    expect(segments.every((file) => file?.bytes.equals(Buffer.alloc(SEGMENT_BYTES, 2)))).toBe(true);
    // One read for the requests and at most one for the watch's first report.
    expect(store.reads.get('720p/index.m3u8')).toBeLessThanOrEqual(2);
    expect(store.reads.get('720p/seg_2.m4s')).toBe(1);
    await vi.waitFor(() => expect(cache.held('s1')).toEqual({ files: 5, bytes: 3 * SEGMENT_BYTES + 200 + 100 }));

    // From memory: the files can go from the disk and are still served.
    rmSync(path.join(folder, 'seg_1.m4s'));
    expect((await cache.file('s1', ['720p', 'seg_1.m4s']))?.size).toBe(SEGMENT_BYTES);
    // A file no playlist names yet (the hinted part) is read for the asker and not kept.
    write('part_4_1.m4s', Buffer.alloc(10));
    expect((await cache.file('s1', ['720p', 'part_4_1.m4s']))?.size).toBe(10);
    expect(cache.held('s1').files).toBe(5);
    expect(await cache.file('s1', ['720p', 'seg_9.m4s'])).toBeUndefined();
  });

  it('takes in each new playlist: new files are read, what fell out of the window goes, waiters hear after', async () => {
    const { cache, folder, write, segment } = setUp('s2');
    for (let n = 1; n <= 3; n += 1) segment(n);
    write('index.m3u8', media(1, 3));
    expect((await cache.playlist('s2', ['720p', 'index.m3u8'])).status).toBe('whole');
    const heard: string[] = [];
    const watch = cache.watchPlaylists('s2', (rendition) => heard.push(rendition));

    segment(4);
    write('index.m3u8', media(2, 4));
    await vi.waitFor(async () => expect(heard).toContain('720p'));
    // Woken listeners read the new version, never the one before.
    const next = await cache.playlist('s2', ['720p', 'index.m3u8']);
    expect(next.status === 'whole' && next.text).toBe(media(2, 4));
    await vi.waitFor(() => expect(cache.held('s2').files).toBe(4));
    rmSync(path.join(folder, 'seg_1.m4s'));
    rmSync(path.join(folder, 'seg_4.m4s'));
    expect(await cache.file('s2', ['720p', 'seg_1.m4s'])).toBeUndefined();
    expect((await cache.file('s2', ['720p', 'seg_4.m4s']))?.size).toBe(SEGMENT_BYTES);

    // A cut-off write (a full disk) leaves the last whole playlist in place.
    write('index.m3u8', '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const kept = await cache.playlist('s2', ['720p', 'index.m3u8']);
    expect(kept.status === 'whole' && kept.text).toBe(media(2, 4));
    watch.close();
  });

  it('keeps at most its byte budget per stream, dropping the oldest files first', async () => {
    const { cache, segment, write } = setUp('s3', 2.5 * SEGMENT_BYTES);
    for (let n = 1; n <= 5; n += 1) segment(n);
    write('index.m3u8', media(1, 5));
    await cache.playlist('s3', ['720p', 'index.m3u8']);
    await vi.waitFor(() => expect(cache.held('s3').bytes).toBeGreaterThanOrEqual(2 * SEGMENT_BYTES));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(cache.held('s3').bytes).toBeLessThanOrEqual(2.5 * SEGMENT_BYTES);
    // What the budget dropped is still served, from the store.
    expect((await cache.file('s3', ['720p', 'seg_1.m4s']))?.size).toBe(SEGMENT_BYTES);
  });

  it('forgets a stream when it ends; a request still held goes on hearing of new playlists', async () => {
    const { cache, write, segment } = setUp('s4');
    segment(1);
    write('index.m3u8', media(1, 1));
    await cache.playlist('s4', ['720p', 'index.m3u8']);
    await vi.waitFor(() => expect(cache.held('s4').files).toBe(2));
    const heard: string[] = [];
    const watch = cache.watchPlaylists('s4', (rendition) => heard.push(rendition));
    cache.end('s4');
    expect(cache.held('s4')).toEqual({ files: 0, bytes: 0 });
    heard.length = 0;
    segment(2);
    write('index.m3u8', media(1, 2));
    await vi.waitFor(() => expect(heard).toContain('720p'));
    watch.close();
    cache.end('s4');
    expect(cache.held('s4')).toEqual({ files: 0, bytes: 0 });
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LocalSegmentStore } from './local-segment-store.js';

const MEDIA = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000,\nseg_00001.ts\n';

/** Real files in a temp folder, written the way ffmpeg writes them (`temp_file`: written aside, renamed into place). */
describe('LocalSegmentStore', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'wlk-segments-'));
  const store = new LocalSegmentStore(dataDir);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  function writeLikeFfmpeg(streamId: string, rendition: string): void {
    const folder = path.join(store.liveDir(streamId), rendition);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'index.m3u8.tmp'), MEDIA);
    renameSync(path.join(folder, 'index.m3u8.tmp'), path.join(folder, 'index.m3u8'));
  }

  it('keeps live output under <dataDir>/hls/<id> and recordings under <dataDir>/vod/<id>', async () => {
    expect(store.liveDir('s1')).toBe(path.join(dataDir, 'hls', 's1'));
    expect(store.recordingDir('s1')).toBe(path.join(dataDir, 'vod', 's1'));
    writeLikeFfmpeg('s1', '720p');
    const file = await store.file('hls', 's1', ['720p', 'index.m3u8']);
    expect(file?.size).toBe(Buffer.byteLength(MEDIA));
    expect(await text(file!.read())).toBe(MEDIA);
    expect(await store.readText('hls', 's1', ['720p', 'index.m3u8'])).toBe(MEDIA);
    // A folder is not a file, and a missing file is nothing.
    expect(await store.file('hls', 's1', ['720p'])).toBeUndefined();
    expect(await store.file('vod', 's1', ['index.m3u8'])).toBeUndefined();
    expect(await store.readText('vod', 's1', ['index.m3u8'])).toBeUndefined();
  });

  it('reports a playlist ffmpeg renames into place, in a rendition folder made after the watch began', async () => {
    const written = vi.fn();
    const watch = store.watchPlaylists('s2', written);
    await sleep(50);
    expect(written).not.toHaveBeenCalled();
    writeLikeFfmpeg('s2', '1080p');
    await vi.waitFor(() => expect(written).toHaveBeenCalledWith('1080p'), { timeout: 2000, interval: 10 });
    written.mockClear();
    writeLikeFfmpeg('s2', '1080p');
    await vi.waitFor(() => expect(written).toHaveBeenCalledWith('1080p'), { timeout: 2000, interval: 10 });
    watch.close();
    written.mockClear();
    writeLikeFfmpeg('s2', '1080p');
    writeLikeFfmpeg('s2', '360p');
    await sleep(100);
    expect(written).not.toHaveBeenCalled();
  });

  it('reports at once the playlists written before the watch began, and not other files', async () => {
    writeLikeFfmpeg('s3', '480p');
    writeFileSync(path.join(store.liveDir('s3'), 'thumb.jpg'), 'jpeg');
    writeFileSync(path.join(store.liveDir('s3'), '480p', 'seg_00001.ts'), 'ts');
    const written = vi.fn();
    const watch = store.watchPlaylists('s3', written);
    await vi.waitFor(() => expect(written).toHaveBeenCalledWith('480p'), { timeout: 2000, interval: 10 });
    writeFileSync(path.join(store.liveDir('s3'), '480p', 'seg_00002.ts'), 'ts');
    await sleep(100);
    expect(written).toHaveBeenCalledTimes(1);
    watch.close();
  });

  it('reports the multivariant playlist when it is written, and at once when it already was', async () => {
    writeLikeFfmpeg('s5', '720p');
    await store.writeLive('s5', 'master.m3u8', '#EXTM3U\n');
    const written = vi.fn();
    const multivariant = vi.fn();
    const watch = store.watchPlaylists('s5', written, multivariant);
    await vi.waitFor(() => expect(multivariant).toHaveBeenCalledTimes(1), { timeout: 2000, interval: 10 });
    await store.writeLive('s5', 'master.m3u8', '#EXTM3U\n#EXT-X-VERSION:6\n');
    await vi.waitFor(() => expect(multivariant).toHaveBeenCalledTimes(2), { timeout: 2000, interval: 10 });
    expect(written).toHaveBeenCalledWith('720p');
    expect(written).not.toHaveBeenCalledWith('master.m3u8');
    watch.close();
    expect(await store.readBytes('hls', 's5', ['master.m3u8'])).toEqual(Buffer.from('#EXTM3U\n#EXT-X-VERSION:6\n'));
    expect(await store.readBytes('hls', 's5', ['720p'])).toBeUndefined();
  });

  it('writes a live file whole, clears the live window but the thumbnail, and discards all of a stream', async () => {
    writeLikeFfmpeg('s4', '720p');
    await store.writeLive('s4', 'master.m3u8', '#EXTM3U\n');
    expect(await store.readText('hls', 's4', ['master.m3u8'])).toBe('#EXTM3U\n');
    expect(readdirSync(store.liveDir('s4')).sort()).toEqual(['720p', 'master.m3u8']);
    writeFileSync(path.join(store.liveDir('s4'), 'thumb.jpg'), 'jpeg');
    mkdirSync(store.recordingDir('s4'), { recursive: true });
    writeFileSync(path.join(store.recordingDir('s4'), 'index.m3u8'), MEDIA);

    await store.clearLiveWindow('s4');
    expect(readdirSync(store.liveDir('s4'))).toEqual(['thumb.jpg']);
    expect(existsSync(path.join(store.recordingDir('s4'), 'index.m3u8'))).toBe(true);
    await store.clearLiveWindow('no-such-stream');

    await store.discard('s4');
    expect(existsSync(store.liveDir('s4'))).toBe(false);
    expect(existsSync(store.recordingDir('s4'))).toBe(false);
  });
});

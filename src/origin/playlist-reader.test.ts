import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isWholePlaylist, PlaylistReader } from './playlist-reader.js';

const MEDIA = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000000,\n#EXT-X-PROGRAM-DATE-TIME:2026-01-01T00:00:00.000+0000\nseg_00001.ts\n';
const MASTER = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n360p/index.m3u8\n';

describe('PlaylistReader', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wlk-playlists-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('tells whole playlists from empty and cut-off ones', () => {
    expect(isWholePlaylist(MEDIA)).toBe(true);
    expect(isWholePlaylist(MASTER)).toBe(true);
    for (const broken of ['', '#EXTM3U\n', '#EXTM3U\n#EXT-X-TARGETDURATION:2\n', MEDIA.slice(0, -4), 'seg_00001.ts\n']) {
      expect(isWholePlaylist(broken), JSON.stringify(broken)).toBe(false);
    }
  });

  it('answers the last whole playlist of a file while it is broken, and nothing when it never was whole', async () => {
    const reader = new PlaylistReader(1);
    const file = path.join(dir, 'index.m3u8');
    writeFileSync(file, MEDIA);
    expect(await reader.read(file, () => readText(file))).toBe(MEDIA);
    writeFileSync(file, '');
    expect(await reader.read(file, () => readText(file))).toBe(MEDIA);
    const other = path.join(dir, 'other.m3u8');
    writeFileSync(other, '');
    expect(await reader.read(other, () => readText(other))).toBeUndefined();
    // One entry kept: reading another whole playlist forgets the first.
    writeFileSync(other, MASTER);
    expect(await reader.read(other, () => readText(other))).toBe(MASTER);
    expect(await reader.read(file, () => readText(file))).toBeUndefined();
  });
});

const readText = (file: string) => readFile(file, 'utf8').catch(() => undefined);

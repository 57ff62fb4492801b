import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { finaliseRecording } from './recording.js';

describe('finalising a recording', () => {
  const dirs: string[] = [];
  const dirWith = (playlist?: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wlk-recording-'));
    dirs.push(dir);
    if (playlist !== undefined) writeFileSync(path.join(dir, 'index.m3u8'), playlist);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('turns the EVENT playlist into a VOD one with an end, once', async () => {
    const dir = dirWith('#EXTM3U\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXTINF:4.0,\nseg_00000.ts\n');
    expect(await finaliseRecording(dir)).toBe(true);
    expect(await finaliseRecording(dir)).toBe(true);
    const playlist = readFileSync(path.join(dir, 'index.m3u8'), 'utf8');
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(playlist).not.toContain('EVENT');
    expect(playlist.match(/#EXT-X-ENDLIST/g)).toHaveLength(1);
  });

  it('says there is no recording when nothing was recorded', async () => {
    expect(await finaliseRecording(dirWith('#EXTM3U\n#EXT-X-PLAYLIST-TYPE:EVENT\n'))).toBe(false);
    expect(await finaliseRecording(dirWith())).toBe(false);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { finaliseRecording, nextRecordingPart, recordingPartName } from './recording.js';

/** One ffmpeg run's part playlist, as ffmpeg writes it (EVENT, no end). */
const part = (name: string, durations: number[]) =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:6',
    '#EXT-X-TARGETDURATION:4',
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:EVENT',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    ...durations.flatMap((seconds, index) => [`#EXTINF:${seconds.toFixed(6)},`, `${name}_${String(index).padStart(5, '0')}.ts`]),
    '',
  ].join('\n');

describe('recording parts', () => {
  const dirs: string[] = [];
  const dirWith = (parts: Record<number, number[]>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wlk-recording-'));
    dirs.push(dir);
    for (const [number, durations] of Object.entries(parts)) {
      const name = recordingPartName(Number(number));
      writeFileSync(path.join(dir, `${name}.m3u8`), part(name, durations));
      durations.forEach((_seconds, index) => writeFileSync(path.join(dir, `${name}_${String(index).padStart(5, '0')}.ts`), 'G'));
    }
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('numbers each run one past the highest part there', async () => {
    expect(await nextRecordingPart(dirWith({}))).toBe(0);
    expect(await nextRecordingPart(dirWith({ 0: [4], 1: [4] }))).toBe(2);
    expect(await nextRecordingPart(path.join(tmpdir(), 'wlk-no-such-folder'))).toBe(0);
  });

  it('joins the parts in order into one VOD playlist, a discontinuity between them, the same when run twice', async () => {
    // Ten parts: part_010 must come after part_002, not between part_001 and part_002.
    const dir = dirWith({ 0: [4, 4, 2.08], 1: [4.5], 2: [4], 10: [1] });
    expect(await finaliseRecording(dir)).toBe(true);
    const first = readFileSync(path.join(dir, 'index.m3u8'), 'utf8');
    expect(await finaliseRecording(dir)).toBe(true);
    expect(readFileSync(path.join(dir, 'index.m3u8'), 'utf8')).toBe(first);

    expect(first).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(first).toContain('#EXT-X-TARGETDURATION:5');
    expect(first.match(/#EXT-X-ENDLIST/g)).toHaveLength(1);
    const entries = first.split('\n').filter((line) => line.endsWith('.ts') || line === '#EXT-X-DISCONTINUITY');
    expect(entries).toEqual([
      'part_000_00000.ts',
      'part_000_00001.ts',
      'part_000_00002.ts',
      '#EXT-X-DISCONTINUITY',
      'part_001_00000.ts',
      '#EXT-X-DISCONTINUITY',
      'part_002_00000.ts',
      '#EXT-X-DISCONTINUITY',
      'part_010_00000.ts',
    ]);
  });

  it('leaves out a part that recorded nothing, and says there is no recording when none did', async () => {
    const dir = dirWith({ 0: [4], 1: [], 2: [4] });
    expect(await finaliseRecording(dir)).toBe(true);
    expect(readFileSync(path.join(dir, 'index.m3u8'), 'utf8').match(/#EXT-X-DISCONTINUITY/g)).toHaveLength(1);
    expect(await finaliseRecording(dirWith({ 0: [] }))).toBe(false);
    expect(await finaliseRecording(dirWith({}))).toBe(false);
  });

  it('lists only segments on disk and not empty: a killed process or a full disk leaves such gaps', async () => {
    const dir = dirWith({ 0: [4, 4, 4, 4] });
    writeFileSync(path.join(dir, 'part_000_00001.ts'), '');
    rmSync(path.join(dir, 'part_000_00002.ts'));
    expect(await finaliseRecording(dir)).toBe(true);
    const joined = readFileSync(path.join(dir, 'index.m3u8'), 'utf8');
    expect(joined.split('\n').filter((line) => line.endsWith('.ts'))).toEqual(['part_000_00000.ts', 'part_000_00003.ts']);
  });
});

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mediaPlaylistState } from '../origin/blocking-reload.js';
import { partTiming } from './ladder-packager.js';
import type { FeedFragment } from './media-feeds.js';
import { parseMediaPlaylist } from './media-playlist.js';
import { RenditionPackager } from './rendition-packager.js';

const root = mkdtempSync(path.join(tmpdir(), 'wlk-packager-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Real fMP4 on a pipe, as the live ffmpeg writes it: 30 fps, a keyframe every 2 s, AAC beside it. */
function ffmpegRun(seconds: number) {
  const timing = partTiming(30, false);
  const child = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=30', '-f', 'lavfi', '-i', 'sine=r=48000',
    '-t', String(seconds), '-map', '0:v', '-map', '1:a', '-c:a', 'aac', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency',
    '-force_key_frames', 'expr:gte(t,n_forced*2)', '-pix_fmt', 'yuv420p',
    '-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_keyframe+skip_trailer', '-frag_duration', String(timing.fragmentMicros),
    '-flush_packets', '1', 'pipe:3',
  ], { stdio: ['ignore', 'ignore', 'inherit', 'pipe'] });
  const output = child.stdio[3];
  if (!output || !('read' in output)) throw new Error('no pipe');
  return output;
}

function packager(dir: string, fragments: FeedFragment[] = [], windowSegments = 3) {
  mkdirSync(dir, { recursive: true });
  return new RenditionPackager({
    name: '360p',
    dir,
    partTargetSeconds: partTiming(30, false).partTargetSeconds,
    segmentSeconds: 2,
    windowSegments,
    reports: () => [{ uri: '../720p/index.m3u8', lastMsn: 7, lastPart: 2 }],
    onFragment: (fragment) => fragments.push(fragment),
    onPlaylist: () => undefined,
    logger: { warn: () => undefined },
  });
}

describe('the rendition packager', () => {
  it('cuts real ffmpeg output into parts of at most PART-TARGET and keyframe segments, and lists the edge while it is written', { timeout: 30_000 }, async () => {
    const dir = path.join(root, 'live');
    const fragments: FeedFragment[] = [];
    const writer = packager(dir, fragments, 10);
    const seen: string[] = [];
    const run = writer.consume(ffmpegRun(5));
    // While the run is on, the playlist has an open segment's parts and hints the next part.
    for (let tries = 0; tries < 100 && !seen.some((text) => text.includes('#EXTINF')); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (existsSync(path.join(dir, 'index.m3u8'))) seen.push(readFileSync(path.join(dir, 'index.m3u8'), 'utf8'));
    }
    const live = seen.at(-1) ?? '';
    expect(live).toMatch(/#EXT-X-PRELOAD-HINT:TYPE=PART,URI="part_0_\d+\.m4s"/);
    expect(live).toContain('#EXT-X-RENDITION-REPORT:URI="../720p/index.m3u8",LAST-MSN=7,LAST-PART=2');
    const hinted = /PRELOAD-HINT:TYPE=PART,URI="([^"]+)"/.exec(live)?.[1] ?? '';
    expect(existsSync(path.join(dir, hinted))).toBe(false);
    await run;

    const text = readFileSync(path.join(dir, 'index.m3u8'), 'utf8');
    const target = Number(/PART-TARGET=([\d.]+)/.exec(text)?.[1]);
    expect(target).toBe(partTiming(30, false).partTargetSeconds);
    expect(Number(/PART-HOLD-BACK=([\d.]+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(3 * target);
    // The run is over: its last segment is closed and nothing is hinted.
    expect(text).not.toContain('PRELOAD-HINT');
    const { segments } = parseMediaPlaylist(text);
    expect(segments.map((segment) => segment.uri)).toEqual(['seg_00000.m4s', 'seg_00001.m4s', 'seg_00002.m4s']);
    // The first segment starts a few ms early (the encoder's start offset); the ones after are exactly 2 s.
    expect(segments[0]?.durationSeconds).toBeCloseTo(2, 1);
    expect(segments[1]?.durationSeconds).toBeCloseTo(2, 2);
    const parts = [...text.matchAll(/#EXT-X-PART:DURATION=([\d.]+),URI="([^"]+)"(,INDEPENDENT=YES)?/g)];
    for (const [, duration] of parts) expect(Number(duration)).toBeLessThanOrEqual(target);
    // Parts stay listed for the last two segments; each starts with its one keyframe part.
    expect(parts.filter((part) => part[3] !== undefined).length).toBe(2);
    expect(text.slice(text.indexOf('seg_00000.m4s')).match(/#EXT-X-PART:[^\n]*/)?.[0]).toContain('INDEPENDENT=YES');
    for (const fragment of fragments) expect(fragment.info.durationSeconds).toBeLessThanOrEqual(target);
    // A segment is its parts, byte for byte.
    const ofSegment1 = [...text.slice(text.indexOf('seg_00000.m4s'), text.indexOf('seg_00001.m4s')).matchAll(/URI="([^"]+)"/g)];
    const partBytes = ofSegment1.reduce((sum, part) => sum + readFileSync(path.join(dir, part[1] ?? '')).length, 0);
    expect(readFileSync(path.join(dir, 'seg_00001.m4s')).length).toBe(partBytes);
    // Every fragment was fed on and written as a part (none deleted yet: the window is ten segments).
    expect(fragments.length).toBe(readdirSync(dir).filter((file) => /^part_0_\d+\.m4s$/.test(file)).length);
    expect(readFileSync(path.join(dir, 'init_0.mp4')).subarray(4, 8).toString()).toBe('ftyp');
  });

  it('continues after a restart with a discontinuity and a new init, trims its window and deletes what left it', { timeout: 60_000 }, async () => {
    const dir = path.join(root, 'continued');
    await packager(dir).consume(ffmpegRun(4.5));
    const restarted = packager(dir);
    await restarted.load();
    await restarted.consume(ffmpegRun(8.5));
    const text = readFileSync(path.join(dir, 'index.m3u8'), 'utf8');
    const { segments } = parseMediaPlaylist(text);
    expect(segments).toHaveLength(3);
    const state = mediaPlaylistState(text);
    // 3 segments from the first run, 5 from the second; the window keeps the last three.
    expect(state.openMsn).toBe(8);
    expect(segments.map((segment) => segment.mapUri)).toEqual(['init_3.mp4', 'init_3.mp4', 'init_3.mp4']);
    expect(text).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:1');
    const files = readdirSync(dir);
    expect(files).not.toContain('seg_00000.m4s');
    expect(files).toContain('seg_00007.m4s');
    expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });
});

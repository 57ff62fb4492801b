import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BoxReader } from './box-reader.js';
import { parseFragment, parseInit } from './fragment-info.js';

/** Real fMP4 from ffmpeg (the muxer flags the transcoder uses): 30 fps, a keyframe every 2 s, AAC beside it. */
function fragmentedMp4(): Buffer {
  const result = spawnSync('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=30', '-f', 'lavfi', '-i', 'sine=r=48000',
    '-t', '4.5', '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency',
    '-force_key_frames', 'expr:gte(t,n_forced*2)', '-pix_fmt', 'yuv420p', '-c:a', 'aac',
    '-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_keyframe+skip_trailer', '-frag_duration', '316667', 'pipe:1',
  ], { maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(result.stderr.toString());
  return result.stdout;
}

describe('fMP4 fragments', () => {
  it('reads the tracks from the init and each fragment\'s duration and keyframe start', () => {
    const reader = new BoxReader();
    const bytes = fragmentedMp4();
    const boxes = reader.push(bytes);
    const init = Buffer.concat(boxes.filter((found) => found.type === 'ftyp' || found.type === 'moov').map((found) => found.data));
    const tracks = parseInit(init);
    expect(tracks.map((track) => track.kind)).toEqual(['video', 'audio']);
    expect(tracks[1]?.timescale).toBe(48_000);

    const fragments = boxes.filter((found) => found.type === 'moof').map((found) => parseFragment(found.data, tracks));
    expect(fragments.length).toBeGreaterThan(12);
    const total = fragments.reduce((sum, fragment) => sum + fragment.durationSeconds, 0);
    expect(total).toBeCloseTo(4.5, 1);
    for (const fragment of fragments) expect(fragment.durationSeconds).toBeLessThanOrEqual(10 / 30 + 1e-6);
    // Keyframes every 2 s start fragments, and nothing else does.
    const independent = fragments.filter((fragment) => fragment.independent).map((fragment) => fragment.startSeconds);
    expect(independent).toHaveLength(3);
    expect(fragments[0]?.independent).toBe(true);
    expect((independent[1] ?? 0) - (independent[0] ?? 0)).toBeCloseTo(2, 1);
  });
});

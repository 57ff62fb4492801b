import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Thumbnailer } from '../../src/media/thumbnailer.js';

const run = promisify(execFile);

/** One second of a flat colour as fMP4 HLS segments, as our packager lays them out: `<name>-init.mp4`, `<name>-N.m4s`. */
async function colourSegments(folder: string, name: string, colour: string): Promise<void> {
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `color=${colour}:s=320x180:r=10`, '-t', '1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-pix_fmt', 'yuv420p'],
    ...['-f', 'hls', '-hls_segment_type', 'fmp4', '-hls_time', '1', '-hls_fmp4_init_filename', `${name}-init.mp4`],
    ...['-hls_segment_filename', path.join(folder, `${name}-%d.m4s`), path.join(folder, `${name}.m3u8`)],
  ]);
}

/** A rendition playlist: the slate's segment, then (when `withLive`) the source's after a discontinuity. */
const playlist = (withLive: boolean) =>
  [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    '#EXT-X-TARGETDURATION:1',
    '#EXT-X-MEDIA-SEQUENCE:40',
    '#EXT-X-MAP:URI="slate-init.mp4"',
    '#EXTINF:1.000,',
    'slate-0.m4s',
    ...(withLive ? ['#EXT-X-DISCONTINUITY', '#EXT-X-MAP:URI="live-init.mp4"', '#EXTINF:1.000,', 'live-0.m4s'] : []),
    '',
  ].join('\n');

/** The thumbnail's average colour, read back through ffmpeg as one RGB pixel. */
async function averageColour(file: string): Promise<[number, number, number]> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', file, '-vf', 'scale=1:1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer' });
  return [stdout[0] ?? 0, stdout[1] ?? 0, stdout[2] ?? 0];
}

describe('the thumbnailer after a pause', () => {
  let dir: string;
  const rendition = () => path.join(dir, '360p');

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'thumbnailer-'));
    await mkdir(rendition());
    // Red stands for the "be right back" slate, green for the streamer's picture.
    await colourSegments(rendition(), 'slate', 'red');
    await colourSegments(rendition(), 'live', 'green');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes no picture from the slate written before the resume, then the first segment of the source after it', async () => {
    await writeFile(path.join(rendition(), 'index.m3u8'), playlist(false));
    let captures = 0;
    const thumbnails = new Thumbnailer('ffmpeg', dir, '360p', () => (captures += 1));
    thumbnails.start(true);
    await thumbnails.stop();
    expect(await thumbnails.capture()).toBe(false);
    await expect(stat(path.join(dir, 'thumb.jpg'))).rejects.toThrow();

    await writeFile(path.join(rendition(), 'index.m3u8'), playlist(true));
    expect(await thumbnails.capture()).toBe(true);
    const [red, green] = await averageColour(path.join(dir, 'thumb.jpg'));
    expect(green).toBeGreaterThan(100);
    expect(red).toBeLessThan(60);
    expect(captures).toBe(1);
  });

  it('takes the newest segment whatever it is on a first start (nothing came before it)', async () => {
    await rm(path.join(dir, 'thumb.jpg'), { force: true });
    await writeFile(path.join(rendition(), 'index.m3u8'), playlist(false));
    const thumbnails = new Thumbnailer('ffmpeg', dir, '360p');
    thumbnails.start();
    await thumbnails.stop();
    expect(await thumbnails.capture()).toBe(true);
    expect((await readFile(path.join(dir, 'thumb.jpg'))).length).toBeGreaterThan(0);
    const [red] = await averageColour(path.join(dir, 'thumb.jpg'));
    expect(red).toBeGreaterThan(150);
  });
});

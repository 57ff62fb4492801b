import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { CLOCK_FRAME, drawClockFrame } from '../../testkit/clock-frames.js';
import { readFragments } from '../../src/packager/fragment-stream.js';
import type { MediaFeeds } from '../../src/packager/media-feeds.js';
import { OPUS_FEED, realtimeAudioOutput } from '../../src/webrtc/realtime-feeds.js';

const FMP4 = ['-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_keyframe+skip_trailer', '-frag_duration', '100000', '-flush_packets', '1'];
/** The ladder's encoded rendition as ffmpeg-args.ts writes it, keyframes each second. */
const X264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'main', '-level:v', '3.1', '-pix_fmt', 'yuv420p', '-b:v', '1000k', '-g', '30', '-sc_threshold', '0'];

export interface Fmp4Source {
  readonly child: ChildProcess;
  /** Fragments published so far, per feed. */
  readonly published: Map<string, number>;
  stop(): Promise<void>;
  output(): string;
}

/**
 * A live stream's feeds as the packager would publish them: one ffmpeg writing the picture
 * (x264 zerolatency) as fMP4 on pipe 1 and the Opus output (realtimeAudioOutput) on pipe 3, each
 * fragment published to `feeds`. `clock`: the picture is clock frames drawn as they are written
 * (glass-to-glass); otherwise testsrc in real time.
 *
 *   const source = startFmp4Source(feeds, streamId, '360p', { clock: true });
 */
export function startFmp4Source(feeds: MediaFeeds, streamId: string, videoFeed: string, { clock = false, run = 1 } = {}): Fmp4Source {
  const { width, height, fps } = CLOCK_FRAME;
  const video = clock
    ? ['-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0']
    : ['-re', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`];
  const child = spawn(
    'ffmpeg',
    [
      '-hide_banner', '-nostdin', '-loglevel', 'error',
      ...video,
      '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-map', '0:v:0', ...X264, ...FMP4, 'pipe:1',
      // realtimeAudioOutput maps the first input's audio; here the sound is the second input.
      ...realtimeAudioOutput(3).map((arg) => (arg === '0:a:0' ? '1:a:0' : arg)),
    ],
    { stdio: [clock ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  const published = new Map<string, number>();
  const publish = async (pipe: Readable | null, feed: string) => {
    if (!pipe) throw new Error('ffmpeg has no output pipe');
    for await (const item of readFragments(pipe)) {
      if (item.kind !== 'fragment') continue;
      feeds.publish(streamId, feed, { init: item.init.init, tracks: item.init.tracks, moof: item.moof, mdat: item.mdat, info: item.info, run });
      published.set(feed, (published.get(feed) ?? 0) + 1);
    }
  };
  const reading = Promise.all([publish(child.stdout, videoFeed), publish(child.stdio[3] as Readable, OPUS_FEED)]).catch((error: unknown) => {
    output += String(error);
  });
  let timer: NodeJS.Timeout | undefined;
  if (clock && child.stdin) {
    const stdin = child.stdin;
    stdin.on('error', () => undefined);
    const startedAt = Date.now();
    let written = 0;
    const next = () => {
      if (child.exitCode !== null || !stdin.writable) return;
      stdin.write(drawClockFrame(Date.now()));
      written += 1;
      timer = setTimeout(next, Math.max(0, startedAt + (written * 1000) / fps - Date.now()));
    };
    next();
  }
  return {
    child,
    published,
    output: () => output,
    stop: async () => {
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      await reading;
    },
  };
}

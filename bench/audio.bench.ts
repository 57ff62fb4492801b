/**
 * CPU cost of an audio-only stream (source AAC copied + the 64 kbit/s rendition) per second of
 * stream, and how many of them one core holds, against a video stream at the default quality
 * (a 1080p30 push: source copied + 720p, 480p, 360p) measured the same way in the same run.
 * Each case runs the ladder ffmpeg the service runs (same arguments), fed an encoder's FLV in
 * real time, and reads that ffmpeg's own CPU time from /proc/<pid>/stat.
 *
 *   npm run bench -- audio          # BENCH_SECONDS=25 by default
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { liveArgs } from '../src/media/ffmpeg-args.js';
import { isAudioOnly, planAudioLadder, planLadder, type RenditionPlan, type SourceInfo } from '../src/media/ladder.js';
import { partTiming } from '../src/packager/ladder-packager.js';
import { DEFAULT_QUALITY } from '../src/protocol/quality.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 25);
/** The first seconds (ffmpeg starting, the first segment) are left out: a live stream runs for hours. */
const WARM_UP_SECONDS = 3;
const ffmpeg = process.env.FFMPEG_PATH ?? 'ffmpeg';
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);

const AUDIO_SOURCE: SourceInfo = {
  videoCodec: null, audioCodec: 'aac', width: null, height: null, fps: null, audioSampleRate: 48_000, audioProfile: 'LC',
  audioKbps: 128, avcCodecs: null, bitrateKbps: 128, keyframeIntervalSeconds: null, hasAudio: true,
};
const VIDEO_SOURCE: SourceInfo = {
  videoCodec: 'h264', audioCodec: 'aac', width: 1920, height: 1080, fps: 30, audioSampleRate: 48_000, audioProfile: 'LC',
  audioKbps: 128, avcCodecs: 'avc1.640028', bitrateKbps: 4628, keyframeIntervalSeconds: 2, hasAudio: true,
};

/** User + system CPU seconds a process has used so far. */
function cpuSecondsOf(pid: number): number {
  // The command name (field 2) may hold spaces; the fields counted from 3 follow its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime (fields 14 and 15)
}

function generate(file: string, args: readonly string[]): void {
  const result = spawnSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args, '-t', String(SECONDS + 1), '-f', 'flv', file]);
  if (result.status !== 0) throw new Error(`generating ${file} failed: ${result.stderr.toString().slice(-500)}`);
}

interface Measured {
  readonly cpuPerSecond: number;
  /** Seconds of stream per second of wall clock: about 1 when the ladder keeps up with real time. */
  readonly speed: number;
}

/**
 * Feeds `input` in real time into the ladder ffmpeg for `plans`, as the service pipes an encoder's
 * FLV, and answers that ffmpeg's CPU seconds per second of stream after the warm-up, using
 * ffmpeg's own progress (seconds of stream written) so a ladder that falls behind is measured right.
 */
async function measure(label: string, input: string, plans: readonly RenditionPlan[]): Promise<Measured> {
  const feeder = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-re', '-i', input, '-c', 'copy', '-f', 'flv', 'pipe:1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const args = ['-progress', 'pipe:1', ...liveArgs(plans, { preset: 'veryfast', hasAudio: true, fragmentMicros: partTiming(null, isAudioOnly(plans)).fragmentMicros })];
  // Each rendition's fMP4 goes to a pipe from fd 3 on (the packager's input in the service): discarded here.
  const ladder = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'inherit', ...plans.map(() => 'ignore' as const)] });
  const { stdin, stdout } = ladder;
  if (!stdin || !stdout) throw new Error('ffmpeg started without its pipes');
  feeder.stdout.pipe(stdin);
  stdin.on('error', () => undefined);
  const pid = ladder.pid ?? 0;

  let first: { stream: number; cpu: number; wall: number } | undefined;
  let last = first;
  let reported = 0;
  let pending = '';
  stdout.setEncoding('utf8').on('data', (text: string) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const streamSeconds = Number(/^out_time_us=(\d+)$/.exec(line)?.[1] ?? Number.NaN) / 1e6;
      if (!Number.isFinite(streamSeconds) || streamSeconds < WARM_UP_SECONDS) continue;
      const sample = { stream: streamSeconds, cpu: cpuSecondsOf(pid), wall: performance.now() / 1000 };
      first ??= sample;
      last = sample;
      if (streamSeconds - reported >= 5) {
        reported = Math.floor(streamSeconds);
        console.log(`    ${label}: ${reported} of ${SECONDS} s of stream, ${sample.cpu.toFixed(2)} CPU-s so far`);
      }
    }
  });
  const code = await new Promise<number | null>((resolve) => ladder.once('close', resolve));
  if (code !== 0) throw new Error(`the ${label} ladder ffmpeg exited with ${code}`);
  if (!first || !last || last.stream - first.stream < 1) throw new Error(`the ${label} ladder reported too little progress to measure`);
  const streamSeconds = last.stream - first.stream;
  return { cpuPerSecond: (last.cpu - first.cpu) / streamSeconds, speed: streamSeconds / (last.wall - first.wall) };
}

const dir = mkdtempSync(path.join(tmpdir(), 'wlk-audio-bench-'));
try {
  console.log(`audio bench: ${SECONDS} s of stream per case, fed in real time; load average ${loadavg()[0]?.toFixed(2)} on this machine`);
  console.log('  generating the inputs: AAC-LC 48 kHz stereo 128k pink noise; 1080p30 H.264 4500k (a keyframe every 2 s) with that sound');
  const audioInput = path.join(dir, 'audio.flv');
  generate(audioInput, ['-f', 'lavfi', '-i', 'anoisesrc=color=pink:sample_rate=48000', '-ac', '2', '-c:a', 'aac', '-b:a', '128k']);
  const videoInput = path.join(dir, 'video.flv');
  generate(videoInput, [
    '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=30', '-f', 'lavfi', '-i', 'anoisesrc=color=pink:sample_rate=48000',
    '-ac', '2', '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '4500k', '-g', '60', '-c:a', 'aac', '-b:a', '128k',
  ]);

  const audioPlans = planAudioLadder(AUDIO_SOURCE);
  const videoPlans = planLadder(VIDEO_SOURCE, DEFAULT_QUALITY);
  const describe = (plans: readonly RenditionPlan[]) =>
    plans.map((plan) => `${plan.name} ${plan.video === 'copy' || (plan.video === 'none' && plan.audio === 'copy') ? 'copied' : 'encoded'}`).join(' + ');
  console.log(`  audio-only: ${describe(audioPlans)}`);
  const audio = await measure('audio', audioInput, audioPlans);
  console.log(`  video at the default quality (${DEFAULT_QUALITY}), 1080p30 push: ${describe(videoPlans)}`);
  const video = await measure('video', videoInput, videoPlans);

  const line = (name: string, measured: Measured) =>
    `  ${name.padEnd(12)} ${measured.cpuPerSecond.toFixed(4).padStart(8)} CPU-s per stream-second   ` +
    `${(1 / measured.cpuPerSecond).toFixed(1).padStart(7)} streams per core   (ran at ${measured.speed.toFixed(2)}× real time)`;
  console.log(line('audio-only', audio));
  console.log(line(`video ${DEFAULT_QUALITY}`, video));
  console.log(`  ratio audio / video: ${(audio.cpuPerSecond / video.cpuPerSecond).toFixed(3)} (one video stream costs as much as ${(video.cpuPerSecond / audio.cpuPerSecond).toFixed(0)} audio streams)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * CPU cost of our one-process ladder against the plan's design (one ffmpeg per rendition,
 * each decoding the input again), on the same 20 s 1080p30 input in the same run.
 *
 *   npm run bench -- transcode
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { liveArgs } from '../src/media/ffmpeg-args.js';
import { planLadder } from '../src/media/ladder.js';
import { partTiming } from '../src/packager/ladder-packager.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ffmpeg = process.env.FFMPEG_PATH ?? 'ffmpeg';

/** Runs ffmpeg under bash and reads the children's user+sys CPU seconds from `times`. */
function cpuSeconds(args: readonly string[], stdinFile?: string): number {
  // The ladder writes each rendition to a pipe from fd 3 on (the packager's input in the service): discarded here.
  const outputs = 'exec 3>/dev/null 4>/dev/null 5>/dev/null 6>/dev/null 7>/dev/null 8>/dev/null;';
  const script = `${outputs} ${stdinFile ? `"$0" "$@" < "${stdinFile}"` : '"$0" "$@"'} || exit 1; times`;
  const result = spawnSync('bash', ['-c', script, ffmpeg, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ffmpeg failed: ${result.stderr.slice(-500)}`);
  // `times` prints the shell's then the children's "user sys", e.g. "0m12.345s 0m0.678s".
  const children = result.stdout.trim().split('\n').at(-1) ?? '';
  return [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, match) => sum + Number(match[1]) * 60 + Number(match[2]), 0);
}

const dir = mkdtempSync(path.join(tmpdir(), 'wlk-transcode-bench-'));
try {
  const input = path.join(dir, 'input.flv');
  console.log(`transcode bench: generating ${SECONDS} s of 1080p30 H.264/AAC in ${dir}`);
  cpuSeconds([
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30:duration=${SECONDS}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${SECONDS}`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '4500k', '-g', '60', '-c:a', 'aac', '-b:a', '128k', '-f', 'flv', input,
  ]);

  // The plan's commands: one process per rendition, each decoding the input again.
  const baselineRenditions = [
    { name: '720p', size: '1280x720', kbps: 2500 },
    { name: '480p', size: '854x480', kbps: 1000 },
  ];
  let baseline = 0;
  for (const rendition of baselineRenditions) {
    const out = path.join(dir, 'baseline', rendition.name);
    mkdirSync(out, { recursive: true });
    baseline += cpuSeconds([
      '-hide_banner', '-loglevel', 'error', '-y', '-i', input,
      '-c:v', 'libx264', '-preset', 'fast', '-b:v', `${rendition.kbps}k`, '-s', rendition.size,
      '-c:a', 'aac', '-b:a', '128k', '-f', 'hls', '-hls_time', '2', '-hls_list_size', '0', path.join(out, 'index.m3u8'),
    ]);
  }

  const plans = planLadder(
    { videoCodec: 'h264', audioCodec: 'aac', width: 1920, height: 1080, fps: 30, audioSampleRate: 48_000, audioProfile: 'LC', audioKbps: 128, avcCodecs: 'avc1.640028', bitrateKbps: 4500, keyframeIntervalSeconds: 2, hasAudio: true },
    '720p',
  );
  const ours = cpuSeconds(liveArgs(plans, { preset: 'veryfast', hasAudio: true, fragmentMicros: partTiming(30, false).fragmentMicros }), input);

  const perSecond = (cpu: number) => (cpu / SECONDS).toFixed(3);
  console.log(`  plan's design, one ffmpeg per rendition (${baselineRenditions.map((r) => r.name).join(' + ')}, -preset fast)`);
  console.log(`    ${baseline.toFixed(1).padStart(6)} CPU-s   ${perSecond(baseline)} CPU-s per second of video   ${baselineRenditions.length} renditions`);
  console.log(`  our ladder, one ffmpeg decoding once (${plans.map((plan) => plan.name).join(' + ')}, veryfast, source copied)`);
  console.log(`    ${ours.toFixed(1).padStart(6)} CPU-s   ${perSecond(ours)} CPU-s per second of video   ${plans.length} renditions`);
  console.log(`  ratio ours / plan's: ${(ours / baseline).toFixed(2)} (target ≤ 0.60)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

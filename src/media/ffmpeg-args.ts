import { existsSync } from 'node:fs';
import path from 'node:path';
import { RENDITION_PLAYLIST } from '../segments/playback-paths.js';
import { recordingPartName } from './recording.js';
import { ENCODED_AVC, isAudioOnly, SEGMENT_SECONDS, type RenditionPlan } from './ladder.js';

export const LIVE_WINDOW_SEGMENTS = 6;
export const THUMBNAIL_SECONDS = 30;
const SILENCE = 'anullsrc=r=48000:cl=stereo';
const SLATE_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export interface OutputOptions {
  /** The stream's live folder in the segment store: `<rendition>/index.m3u8` and segments go below it. */
  readonly outputDir: string;
  /** x264 preset for the ladder: `veryfast` keeps a 2-core machine ahead of real time. */
  readonly preset: string;
  /** Continue the playlists an earlier run left (after a reconnect, a restart or a pause). */
  readonly continuation: boolean;
  readonly hasAudio: boolean;
}

export interface LiveOptions extends OutputOptions {
  /** Where this run records (when the stream is recorded): its own part of the recording. */
  readonly recording?: { readonly dir: string; readonly part: number };
}

/**
 * One ffmpeg for the whole ladder: it reads FLV from stdin, decodes once, and writes every
 * rendition's HLS playlist and segments and the recording.
 *
 *   spawn(ffmpegPath, liveArgs(plans, { outputDir, preset: 'veryfast', continuation: false, hasAudio: true }))
 */
export function liveArgs(plans: readonly RenditionPlan[], options: LiveOptions): string[] {
  if (isAudioOnly(plans)) {
    return [
      ...commonInputFlags(),
      '-f', 'flv', '-i', 'pipe:0',
      ...audioLadderOutput(plans, options, '0:a:0'),
      ...(options.recording ? recordingOutput(options, options.recording, null, plans[0]?.audio === 'copy') : []),
    ];
  }
  const encoded = plans.filter((plan) => plan.video === 'encode');
  const top = plans[0];
  const recordCopy = top?.video === 'copy';
  const branches = [
    ...encoded.map((plan) => `[v_${plan.name}]`),
    ...(options.recording && !recordCopy ? ['[rec]'] : []),
  ];
  const filters = [
    ...(branches.length > 0
      ? [`[0:v]split=${branches.length}${branches.map((branch) => branch.replace(']', '_in]')).join('')}`]
      : []),
    ...encoded.map((plan) => `[v_${plan.name}_in]${scale(plan.height)}[v_${plan.name}]`),
    ...(branches.includes('[rec]') ? [`[rec_in]${scale(Math.min(720, top?.height ?? 720))}[rec]`] : []),
  ];

  return [
    ...commonInputFlags(),
    '-f', 'flv', '-i', 'pipe:0',
    ...(filters.length > 0 ? ['-filter_complex', filters.join(';')] : []),
    ...ladderOutput(plans, options, (plan) => (plan.video === 'copy' ? '0:v:0' : `[v_${plan.name}]`), '0:a:0'),
    ...(options.recording ? recordingOutput(options, options.recording, recordCopy ? '0:v:0' : '[rec]', top?.audio === 'copy') : []),
  ];
}

/**
 * The "be right back" slate for a paused stream: the same renditions, from a still
 * picture and silence, appended to the same playlists so players keep going.
 */
export function slateArgs(plans: readonly RenditionPlan[], options: OutputOptions, fps: number): string[] {
  if (isAudioOnly(plans)) {
    const encodeAll = plans.map((plan) => ({ ...plan, audio: 'encode' as const }));
    return [...commonInputFlags(), '-re', '-f', 'lavfi', '-i', SILENCE, ...audioLadderOutput(encodeAll, options, '0:a:0')];
  }
  const source = plans[0];
  const size = `${source?.width ?? 1280}x${source?.height ?? 720}`;
  const text = existsSync(SLATE_FONT)
    ? `,drawtext=fontfile=${SLATE_FONT}:text='Be right back':fontcolor=white:fontsize=h/12:x=(w-text_w)/2:y=(h-text_h)/2`
    : '';
  const outputs = plans.map((plan) => `[v_${plan.name}]`);
  const filters = [
    `[0:v]format=yuv420p${text},split=${outputs.length}${outputs.map((output) => output.replace(']', '_in]')).join('')}`,
    ...plans.map((plan) => `[v_${plan.name}_in]${scale(plan.height)}[v_${plan.name}]`),
  ];
  const encodeAll = plans.map((plan) => ({ ...plan, video: 'encode' as const, audio: 'encode' as const }));
  return [
    ...commonInputFlags(),
    '-re', '-f', 'lavfi', '-i', `color=c=0x111827:s=${size}:r=${Math.round(fps)}`,
    '-re', '-f', 'lavfi', '-i', SILENCE,
    '-filter_complex', filters.join(';'),
    // Sound (silence) only when the stream has sound: the multivariant playlist's CODECS say which.
    ...ladderOutput(encodeAll, options, (plan) => `[v_${plan.name}]`, '1:a:0'),
  ];
}

function commonInputFlags(): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-nostats', '-y'];
}

function scale(height: number): string {
  // `min(…, ih)`: never upscale, whatever the source turns out to be.
  return `scale=-2:'min(${height},ih)':flags=fast_bilinear`;
}

function ladderOutput(
  plans: readonly RenditionPlan[],
  options: OutputOptions,
  videoInput: (plan: RenditionPlan) => string,
  audioInput: string,
): string[] {
  const args: string[] = [];
  plans.forEach((plan) => {
    args.push('-map', videoInput(plan));
    if (options.hasAudio) args.push('-map', audioInput);
  });
  plans.forEach((plan, index) => {
    if (plan.video === 'copy') {
      args.push(`-c:v:${index}`, 'copy');
    } else {
      args.push(
        `-c:v:${index}`, 'libx264',
        `-preset:v:${index}`, options.preset,
        `-profile:v:${index}`, ENCODED_AVC.profile,
        `-level:v:${index}`, ENCODED_AVC.level,
        `-tune:v:${index}`, 'zerolatency',
        `-b:v:${index}`, `${plan.videoKbps}k`,
        `-maxrate:v:${index}`, `${Math.round(plan.videoKbps * 1.1)}k`,
        `-bufsize:v:${index}`, `${Math.round(plan.videoKbps * 1.5)}k`,
      );
    }
    if (!options.hasAudio) return;
    if (plan.audio === 'copy') args.push(`-c:a:${index}`, 'copy');
    else args.push(`-c:a:${index}`, 'aac', `-b:a:${index}`, `${plan.audioKbps}k`, `-ar:a:${index}`, '48000', `-ac:a:${index}`, '2');
  });
  args.push(
    // Keyframes exactly every segment, so every rendition's segments line up for switching.
    '-pix_fmt', 'yuv420p',
    '-sc_threshold', '0',
    '-force_key_frames', `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
    ...hlsLadderOutput(options, plans.map((plan, index) => `v:${index}${options.hasAudio ? `,a:${index}` : ''},name:${plan.name}`)),
  );
  return args;
}

/** Sound only: every AAC frame may start a segment, so `-hls_time` alone keeps the 2 s grid. */
function audioLadderOutput(plans: readonly RenditionPlan[], options: OutputOptions, audioInput: string): string[] {
  const args = plans.flatMap(() => ['-map', audioInput]);
  plans.forEach((plan, index) => {
    if (plan.audio === 'copy') args.push(`-c:a:${index}`, 'copy');
    else args.push(`-c:a:${index}`, 'aac', `-b:a:${index}`, `${plan.audioKbps}k`, `-ar:a:${index}`, '48000', `-ac:a:${index}`, '2');
  });
  return [...args, ...hlsLadderOutput(options, plans.map((plan, index) => `a:${index},name:${plan.name}`))];
}

function hlsLadderOutput(options: OutputOptions, streamMap: readonly string[]): string[] {
  const flags = ['delete_segments', 'independent_segments', 'program_date_time', 'omit_endlist', 'temp_file'];
  if (options.continuation) flags.push('append_list');
  return [
    '-max_muxing_queue_size', '1024',
    '-f', 'hls',
    '-hls_time', String(SEGMENT_SECONDS),
    '-hls_list_size', String(LIVE_WINDOW_SEGMENTS),
    '-hls_delete_threshold', '2',
    '-hls_flags', flags.join('+'),
    '-hls_segment_type', 'mpegts',
    '-hls_segment_filename', path.join(options.outputDir, '%v', 'seg_%05d.ts'),
    '-var_stream_map', streamMap.join(' '),
    path.join(options.outputDir, '%v', RENDITION_PLAYLIST),
  ];
}

/**
 * A JPEG from one segment of the smallest rendition. A separate, tiny ffmpeg: an image
 * output inside the live ffmpeg only gets written when the stream ends (ffmpeg 5.1 holds
 * back outputs that receive one frame in thousands).
 */
export function thumbnailArgs(segment: string, output: string): string[] {
  return [...commonInputFlags(), '-i', segment, '-frames:v', '1', '-vf', "scale=-2:'min(360,ih)'", '-q:v', '5', '-f', 'image2', output];
}

/**
 * Each ffmpeg run records a part of its own, named by its number: nothing a later run writes
 * can overwrite it, whereas continuing one playlist with `append_list` loses the earlier
 * segments when the new run is stopped before it has read that playlist (seen on a quick
 * end after a resume). `finaliseRecording` joins the parts.
 */
function recordingOutput(options: LiveOptions, recording: { dir: string; part: number }, video: string | null, copyAudio: boolean): string[] {
  const videoCodec =
    video === null ? [] : video === '0:v:0' ? ['-map', video, '-c:v', 'copy'] : ['-map', video, '-c:v', 'libx264', '-preset', options.preset, '-b:v', '2500k'];
  const audio = options.hasAudio
    ? ['-map', '0:a:0', ...(copyAudio ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2'])]
    : [];
  return [
    ...videoCodec, ...audio,
    '-f', 'hls',
    '-hls_time', '4',
    '-hls_list_size', '0',
    '-hls_playlist_type', 'event',
    '-hls_flags', 'independent_segments+omit_endlist+temp_file',
    '-hls_segment_filename', path.join(recording.dir, `${recordingPartName(recording.part)}_%05d.ts`),
    path.join(recording.dir, `${recordingPartName(recording.part)}.m3u8`),
  ];
}

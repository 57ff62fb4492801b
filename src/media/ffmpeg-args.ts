import { existsSync } from 'node:fs';
import path from 'node:path';
import { RENDITION_PLAYLIST } from '../segments/playback-paths.js';
import { recordingPartName } from './recording.js';
import { ENCODED_AVC, isAudioOnly, SEGMENT_SECONDS, type RenditionPlan } from './ladder.js';

export const LIVE_WINDOW_SEGMENTS = 6;
/** Rendition i's fMP4 comes out on file descriptor 3 + i (0–2 are stdin, stdout, stderr). */
export const FIRST_OUTPUT_FD = 3;
export const THUMBNAIL_SECONDS = 30;
/**
 * The splicer starts every run with the FLV header, the codec configurations and a keyframe, so
 * ffmpeg knows its streams from the first bytes. Its default probing (5 MB or 5 s, and with it the
 * frame-rate guess) held the first fragment back a whole keyframe interval; 64 KB is the first
 * picture and enough to see both streams.
 */
const FLV_INPUT = ['-analyzeduration', '100000', '-probesize', '65536', '-f', 'flv', '-i', 'pipe:0'];
const SILENCE = 'anullsrc=r=48000:cl=stereo';
const SLATE_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export interface OutputOptions {
  /** x264 preset for the ladder: `veryfast` keeps a 2-core machine ahead of real time. */
  readonly preset: string;
  readonly hasAudio: boolean;
  /** The packager's part length (see src/packager/ladder-packager.ts partTiming). */
  readonly fragmentMicros: number;
  /** Outputs after the ladder's, on the pipes after its own (the Opus sound for WebRTC). */
  readonly extraOutputs?: (firstFd: number) => string[];
}

export interface LiveOptions extends OutputOptions {
  /** Where this run records (when the stream is recorded): its own part of the recording. */
  readonly recording?: { readonly dir: string; readonly part: number };
}

/**
 * One ffmpeg for the whole ladder: it reads FLV from stdin, decodes once, and writes every
 * rendition as fragmented MP4 on its own pipe (fd 3, 4, …), and the recording to disk.
 *
 *   spawn(ffmpegPath, liveArgs(plans, { preset: 'veryfast', hasAudio: true, fragmentMicros: 316667 }), { stdio: [..., 'pipe' per rendition] })
 */
export function liveArgs(plans: readonly RenditionPlan[], options: LiveOptions): string[] {
  if (isAudioOnly(plans)) {
    return [
      ...commonInputFlags(),
      ...FLV_INPUT,
      ...audioLadderOutput(plans, options, '0:a:0'),
      ...(options.extraOutputs?.(FIRST_OUTPUT_FD + plans.length) ?? []),
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
    ...FLV_INPUT,
    ...(filters.length > 0 ? ['-filter_complex', filters.join(';')] : []),
    ...ladderOutput(plans, options, (plan) => (plan.video === 'copy' ? '0:v:0' : `[v_${plan.name}]`), '0:a:0'),
    ...(options.extraOutputs?.(FIRST_OUTPUT_FD + plans.length) ?? []),
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
  return plans.flatMap((plan, index) => {
    const video =
      plan.video === 'copy'
        ? ['-c:v', 'copy']
        : [
            '-c:v', 'libx264',
            '-preset:v', options.preset,
            '-profile:v', ENCODED_AVC.profile,
            '-level:v', ENCODED_AVC.level,
            // zerolatency: no B-frames and no lookahead, so WebRTC can pass the picture through as it is.
            '-tune:v', 'zerolatency',
            '-b:v', `${plan.videoKbps}k`,
            '-maxrate:v', `${Math.round(plan.videoKbps * 1.1)}k`,
            '-bufsize:v', `${Math.round(plan.videoKbps * 1.5)}k`,
            '-pix_fmt', 'yuv420p',
            // Keyframes exactly every segment, so every rendition's segments line up for switching.
            '-sc_threshold', '0',
            '-force_key_frames', `expr:gte(t,n_forced*${SEGMENT_SECONDS})`,
          ];
    return [
      '-map', videoInput(plan),
      ...(options.hasAudio ? ['-map', audioInput, ...audioCodec(plan)] : []),
      ...video,
      ...fragmentedOutput(options.fragmentMicros, FIRST_OUTPUT_FD + index),
    ];
  });
}

/** Sound only: every AAC frame may start a part or a segment. */
function audioLadderOutput(plans: readonly RenditionPlan[], options: OutputOptions, audioInput: string): string[] {
  return plans.flatMap((plan, index) => ['-map', audioInput, ...audioCodec(plan), ...fragmentedOutput(options.fragmentMicros, FIRST_OUTPUT_FD + index)]);
}

function audioCodec(plan: RenditionPlan): string[] {
  return plan.audio === 'copy' ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', `${plan.audioKbps}k`, '-ar:a', '48000', '-ac:a', '2'];
}

/**
 * Fragmented MP4 (CMAF) on an inherited pipe, a fragment as soon as it is complete: the packager
 * (src/packager) makes the LL-HLS parts, segments and playlists from it. ffmpeg 5.1's own hls
 * muxer has no parts, and its `split_by_time` cuts through keyframes.
 */
export function fragmentedOutput(fragmentMicros: number, fd: number): string[] {
  return [
    '-max_muxing_queue_size', '1024',
    '-f', 'mp4',
    '-movflags', 'empty_moov+default_base_moof+frag_keyframe+skip_trailer',
    '-frag_duration', String(fragmentMicros),
    '-flush_packets', '1',
    `pipe:${fd}`,
  ];
}

/**
 * A JPEG from one segment of the smallest rendition (its init segment first: an fMP4 segment
 * alone has no codec setup). A separate, tiny ffmpeg: an image output inside the live ffmpeg
 * only gets written when the stream ends (ffmpeg 5.1 holds back outputs that receive one
 * frame in thousands).
 */
export function thumbnailArgs(init: string, segment: string, output: string): string[] {
  return [...commonInputFlags(), '-i', `concat:${init}|${segment}`, '-frames:v', '1', '-vf', "scale=-2:'min(360,ih)'", '-q:v', '5', '-f', 'image2', output];
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

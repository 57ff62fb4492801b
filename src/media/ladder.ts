import { LADDER, renditionsFor, type QualityChoice } from '../protocol/quality.js';

/** What the transcoder knows about the incoming picture and sound (from the ingest). */
export interface SourceInfo {
  readonly videoCodec: string | null;
  readonly audioCodec: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly fps: number | null;
  readonly audioSampleRate: number | null;
  /** The AAC profile from its AudioSpecificConfig (`LC`, `HE-AAC` …), when AAC. */
  readonly audioProfile: string | null;
  readonly audioKbps: number | null;
  /** The AVC profile/level triple from the decoder config (`avc1.PPCCLL`), when H.264. */
  readonly avcCodecs: string | null;
  readonly bitrateKbps: number | null;
  /** Seconds between the encoder's keyframes, once two have arrived. */
  readonly keyframeIntervalSeconds: number | null;
  /** False when the encoder sends no audio: no audio codec in the playlist then. */
  readonly hasAudio: boolean;
}

export interface RenditionPlan {
  readonly name: string;
  /** `copy`: the source's video as it came; `encode`: scaled and encoded here; `none`: an audio-only stream. */
  readonly video: 'copy' | 'encode' | 'none';
  readonly audio: 'copy' | 'encode';
  readonly width: number;
  readonly height: number;
  readonly videoKbps: number;
  readonly audioKbps: number;
  /** The CODECS attribute of the multivariant playlist. */
  readonly codecs: string;
}

/** What `-profile:v main -level:v 3.1` produces: Main profile, level 3.1. */
export const ENCODED_AVC = { profile: 'main', level: '3.1', codecs: 'avc1.4d401f' } as const;
const AAC_LC = 'mp4a.40.2';
const FALLBACK_SOURCE = { width: 1920, height: 1080, kbps: 4500 };
/** Every rendition is cut into segments this long, on keyframes. */
export const SEGMENT_SECONDS = 2;
/** FLV timestamps are whole milliseconds: an interval measured from them is off by a few. */
const KEYFRAME_TOLERANCE_SECONDS = 0.005;

/**
 * Whether a copied picture's segments line up with the re-encoded ones (forced keyframes
 * every 2 s): its keyframes must come every 2 s, or a whole fraction of it (1 s, 0.5 s …).
 * An interval not yet measured does not count: players switching between misaligned
 * renditions stall or skip.
 */
export function keyframesAlign(intervalSeconds: number | null): boolean {
  if (intervalSeconds === null || intervalSeconds <= 0 || intervalSeconds > SEGMENT_SECONDS + KEYFRAME_TOLERANCE_SECONDS) return false;
  const perSegment = Math.round(SEGMENT_SECONDS / intervalSeconds);
  return Math.abs(perSegment * intervalSeconds - SEGMENT_SECONDS) <= KEYFRAME_TOLERANCE_SECONDS;
}

/**
 * Whether browsers decode this H.264 as it is: Baseline (0x42), Main (0x4d) and High (0x64,
 * 8-bit 4:2:0). High 10, 4:2:2 and 4:4:4 (GStreamer's x264enc default from RGB input) play in
 * ffprobe but not in a browser's video element, so they are re-encoded.
 */
export function browserPlayableAvc(avcCodecs: string | null): boolean {
  const profile = /^avc1\.([0-9a-f]{2})[0-9a-f]{4}$/i.exec(avcCodecs ?? '')?.[1]?.toLowerCase();
  return profile === '42' || profile === '4d' || profile === '64';
}

/**
 * The renditions one stream gets: `source` (passed through when the input is H.264 in a
 * profile browsers play with keyframes on the 2 s segment grid, else re-encoded at its own size; its audio copied
 * when that is already AAC at 48 kHz) and every rung of the ladder the stream's quality
 * choice asks for that is not taller than the source.
 *
 *   planLadder(source, '720p') // [source, 720p, 480p, 360p] for a 1080p input
 */
export function planLadder(source: SourceInfo, quality: QualityChoice): RenditionPlan[] {
  const height = even(source.height ?? FALLBACK_SOURCE.height);
  const width = even(source.width ?? Math.round((height * 16) / 9));
  const copyVideo =
    source.videoCodec === 'h264' && browserPlayableAvc(source.avcCodecs) && keyframesAlign(source.keyframeIntervalSeconds);
  const audioCodecs = source.hasAudio ? `,${AAC_LC}` : '';
  const copyAudio = source.audioCodec === 'aac' && source.audioSampleRate === 48_000;
  const sourceKbps = Math.round(source.bitrateKbps ?? FALLBACK_SOURCE.kbps);

  const plans: RenditionPlan[] = [
    {
      name: 'source',
      video: copyVideo ? 'copy' : 'encode',
      audio: copyAudio ? 'copy' : 'encode',
      width,
      height,
      videoKbps: copyVideo ? sourceKbps : Math.max(LADDER[0].videoKbps, Math.min(sourceKbps, 6000)),
      audioKbps: 128,
      codecs: `${copyVideo ? (source.avcCodecs ?? 'avc1.640028') : ENCODED_AVC.codecs}${audioCodecs}`,
    },
  ];
  // A choice of `source` means no transcoding at all; otherwise the chosen rung and those below.
  const rungs = quality === 'source' ? [] : renditionsFor(quality);
  for (const rung of rungs) {
    if (rung.height > height) continue;
    plans.push({
      name: rung.name,
      video: 'encode',
      audio: 'encode',
      width: even(Math.round((rung.height * width) / height)),
      height: rung.height,
      videoKbps: rung.videoKbps,
      audioKbps: rung.audioKbps,
      codecs: `${ENCODED_AVC.codecs}${audioCodecs}`,
    });
  }
  return plans;
}

/** The audio-only ladder's renditions: the source's sound, and a small one for weak connections. */
export const AUDIO_RENDITIONS = { source: 'audio', small: 'audio-64k' } as const;
/** The sample rates whose AAC-LC the audio ladder copies as it comes. */
export const AUDIO_SOURCE_RATES: readonly number[] = [44_100, 48_000];
const AUDIO_ENCODED_KBPS = 160;
const AUDIO_SMALL_KBPS = 64;
const AUDIO_FALLBACK_KBPS = 128;

/**
 * The ladder of a stream with sound and no picture: `audio` (the source copied when it is
 * AAC-LC at 44.1 or 48 kHz, which every player decodes, else re-encoded at 160 kbit/s) and
 * `audio-64k`, both on the same 2 s segment grid as video.
 *
 *   planAudioLadder(source) // [audio (copy), audio-64k] for AAC-LC 48 kHz
 */
export function planAudioLadder(source: SourceInfo): RenditionPlan[] {
  const copy =
    source.audioCodec === 'aac' && source.audioProfile === 'LC' && AUDIO_SOURCE_RATES.includes(source.audioSampleRate ?? 0);
  const audio = (name: string, mode: 'copy' | 'encode', audioKbps: number): RenditionPlan => ({
    name, video: 'none', audio: mode, width: 0, height: 0, videoKbps: 0, audioKbps, codecs: AAC_LC,
  });
  return [
    copy
      ? audio(AUDIO_RENDITIONS.source, 'copy', Math.round(source.audioKbps ?? AUDIO_FALLBACK_KBPS))
      : audio(AUDIO_RENDITIONS.source, 'encode', AUDIO_ENCODED_KBPS),
    audio(AUDIO_RENDITIONS.small, 'encode', AUDIO_SMALL_KBPS),
  ];
}

/** Whether a ladder carries sound only. */
export const isAudioOnly = (plans: readonly RenditionPlan[]): boolean => plans[0]?.video === 'none';

const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);

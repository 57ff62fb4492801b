/**
 * What the first bytes of an FLV audio or video tag body say: codec, whether it is a
 * keyframe, and whether it carries a decoder config, coded frames, or neither. Covers the
 * classic FLV codec ids and Enhanced RTMP's FourCC headers (HEVC, AV1, VP9, Opus …).
 *
 *   const video = readVideoTag(message.payload);
 *   if (video?.kind === 'frame' && video.keyframe) keyframes += 1;
 */
export interface VideoTag {
  /** ffprobe's name for the codec, e.g. `h264`, `hevc`. */
  readonly codec: string;
  readonly keyframe: boolean;
  readonly kind: 'config' | 'frame' | 'other';
  /** The decoder configuration record, when `kind` is `config`. */
  readonly config: Buffer | null;
}

export interface AudioTag {
  readonly codec: string;
  readonly kind: 'config' | 'frame';
  /** The AudioSpecificConfig, when `kind` is `config` (AAC). */
  readonly config: Buffer | null;
  /** From the tag's own flags; meaningless for AAC, whose config says the truth. */
  readonly sampleRate: number | null;
  readonly channels: number | null;
}

const VIDEO_CODECS: Record<number, string> = {
  2: 'flv1',
  3: 'flashsv',
  4: 'vp6f',
  5: 'vp6a',
  6: 'flashsv2',
  7: 'h264',
  12: 'hevc', // widespread pre-Enhanced-RTMP extension
  13: 'av1',
};
const VIDEO_FOURCC: Record<string, string> = { avc1: 'h264', hvc1: 'hevc', av01: 'av1', vp09: 'vp9' };
const AUDIO_CODECS: Record<number, string> = {
  0: 'pcm',
  1: 'adpcm_swf',
  2: 'mp3',
  3: 'pcm_s16le',
  4: 'nellymoser',
  5: 'nellymoser',
  6: 'nellymoser',
  7: 'pcm_alaw',
  8: 'pcm_mulaw',
  10: 'aac',
  11: 'speex',
  14: 'mp3',
};
const AUDIO_FOURCC: Record<string, string> = { Opus: 'opus', fLaC: 'flac', 'ac-3': 'ac3', 'ec-3': 'eac3', '.mp3': 'mp3', mp4a: 'aac' };
const LEGACY_RATES = [5512, 11025, 22050, 44100];
const VIDEO_KEYFRAME = 1;
const VIDEO_COMMAND_FRAME = 5;
const AVC_SEQUENCE_HEADER = 0;
const AVC_NALU = 1;
const AAC_SEQUENCE_HEADER = 0;
const AUDIO_EX_HEADER = 9;

/** The name of an FLV video codec id (as onMetaData's `videocodecid` gives it), or null. */
export function videoCodecName(id: number): string | null {
  return VIDEO_CODECS[id] ?? null;
}

/** The name of an FLV audio codec id (onMetaData's `audiocodecid`), or null. */
export function audioCodecName(id: number): string | null {
  return AUDIO_CODECS[id] ?? null;
}

/** null for an empty body. */
export function readVideoTag(data: Buffer): VideoTag | null {
  const first = data[0];
  if (first === undefined) return null;
  if (first & 0x80) return readEnhancedVideoTag(data, first);
  const frameType = first >> 4;
  const codecId = first & 0x0f;
  const codec = videoCodecName(codecId) ?? `flv video codec ${codecId}`;
  const keyframe = frameType === VIDEO_KEYFRAME;
  if (frameType === VIDEO_COMMAND_FRAME) return { codec, keyframe: false, kind: 'other', config: null };
  // AVC and its HEVC/AV1 look-alikes: packet type, then 3 bytes of composition time.
  if (codecId === 7 || codecId === 12 || codecId === 13) {
    const packetType = data[1];
    if (packetType === AVC_SEQUENCE_HEADER) return { codec, keyframe, kind: 'config', config: data.subarray(5) };
    return { codec, keyframe, kind: packetType === AVC_NALU ? 'frame' : 'other', config: null };
  }
  return { codec, keyframe, kind: 'frame', config: null };
}

/** Enhanced RTMP: frame type in bits 4–6, packet type in the low nibble, then a FourCC. */
function readEnhancedVideoTag(data: Buffer, first: number): VideoTag | null {
  if (data.length < 5) return null;
  const fourCc = data.toString('latin1', 1, 5);
  const codec = VIDEO_FOURCC[fourCc] ?? fourCc;
  const frameType = (first >> 4) & 0x07;
  const packetType = first & 0x0f;
  const keyframe = frameType === VIDEO_KEYFRAME;
  if (frameType === VIDEO_COMMAND_FRAME) return { codec, keyframe: false, kind: 'other', config: null };
  if (packetType === 0) return { codec, keyframe, kind: 'config', config: data.subarray(5) };
  // CodedFrames (1) and CodedFramesX (3, no composition time) are pictures.
  return { codec, keyframe, kind: packetType === 1 || packetType === 3 ? 'frame' : 'other', config: null };
}

/** null for an empty body. */
export function readAudioTag(data: Buffer): AudioTag | null {
  const first = data[0];
  if (first === undefined) return null;
  const format = first >> 4;
  if (format === AUDIO_EX_HEADER) {
    if (data.length < 5) return null;
    const fourCc = data.toString('latin1', 1, 5);
    const config = (first & 0x0f) === 0 ? data.subarray(5) : null; // SequenceStart
    return { codec: AUDIO_FOURCC[fourCc] ?? fourCc, kind: config ? 'config' : 'frame', config, sampleRate: null, channels: null };
  }
  const codec = audioCodecName(format) ?? `flv audio codec ${format}`;
  const sampleRate = format === 5 ? 8000 : format === 4 ? 16000 : (LEGACY_RATES[(first >> 2) & 0x03] ?? null);
  const channels = (first & 0x01) === 1 ? 2 : 1;
  if (format === 10 && data[1] === AAC_SEQUENCE_HEADER) {
    return { codec, kind: 'config', config: data.subarray(2), sampleRate, channels };
  }
  return { codec, kind: 'frame', config: null, sampleRate, channels };
}

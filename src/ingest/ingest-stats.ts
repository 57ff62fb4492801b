import { parseAudioSpecificConfig } from './media/aac.js';
import { parseAvcDecoderConfig } from './media/avc.js';
import { audioCodecName, readAudioTag, readVideoTag, videoCodecName } from './media/flv-media.js';
import { TimeWindow } from './media/time-window.js';

/**
 * Figures about one publish, read from its onMetaData and its media: codecs, resolution,
 * frame rate, keyframe interval, bitrate, late and dropped frames, uptime. Rates are
 * measured over the last few seconds of the stream's own timestamps, so they describe the
 * stream as encoded whether the publisher sends in real time or faster, and tests see
 * the same figures on a loaded machine as on an idle one.
 *
 *   const stats = new IngestStats();
 *   stats.video(message.timestamp, message.payload);
 *   stats.snapshot().video?.fps;   // 30
 */
export interface IngestStatsSnapshot {
  readonly uptimeSeconds: number;
  /** onMetaData's `encoder`, e.g. "Lavf59.27.100" or "obs-output module (libobs version 30.0.0)". */
  readonly encoder: string | null;
  /** Audio plus video, in kbit/s. */
  readonly bitrateKbps: number | null;
  /** Audio and video payload bytes since publish started. */
  readonly mediaBytes: number;
  readonly video: VideoStats | null;
  readonly audio: AudioStats | null;
}

export interface VideoStats {
  /** ffprobe's codec name: `h264`, `hevc`, `av1`, `vp9`, `flv1` … */
  readonly codec: string;
  readonly profile: string | null;
  /** From the H.264 SPS when there is one, else from onMetaData. */
  readonly width: number | null;
  readonly height: number | null;
  readonly fps: number | null;
  /** Seconds between the last two keyframes. */
  readonly keyframeIntervalSeconds: number | null;
  readonly bitrateKbps: number | null;
  readonly frames: number;
  readonly keyframes: number;
  /** Frames whose timestamp went backwards. */
  readonly lateFrames: number;
  /** Frames missing from gaps in the timestamps, estimated from the measured frame rate. */
  readonly droppedFrames: number;
}

export interface AudioStats {
  readonly codec: string;
  readonly profile: string | null;
  readonly sampleRate: number | null;
  readonly channels: number | null;
  readonly bitrateKbps: number | null;
}

export interface IngestStatsOptions {
  /** Wall clock for uptime; injectable for tests. */
  readonly now?: () => number;
  readonly windowMs?: number;
}

interface DeclaredMedia {
  width: number | null;
  height: number | null;
  videoCodec: string | null;
  audioCodec: string | null;
}

interface VideoInfo {
  codec: string | null;
  profile: string | null;
  width: number | null;
  height: number | null;
}

interface AudioInfo {
  codec: string | null;
  profile: string | null;
  sampleRate: number | null;
  channels: number | null;
}

/** A gap this many frame intervals long means frames were dropped before they reached us. */
const DROP_GAP_FACTOR = 2;

/** What a 32-bit RTMP timestamp becomes on one ever-increasing timeline (it wraps after 49.7 days). */
class Timeline {
  private last: number | null = null;
  private unwrapped = 0;

  /** The timestamp on the timeline and how far it moved (negative when it went back). */
  place(timestamp: number): { time: number; delta: number } {
    const delta = this.last === null ? 0 : (timestamp - this.last) | 0;
    this.last = timestamp;
    this.unwrapped += delta;
    return { time: this.unwrapped, delta };
  }
}

export class IngestStats {
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly videoFrames: TimeWindow;
  private readonly videoBytes: TimeWindow;
  private readonly audioBytes: TimeWindow;
  private readonly videoTimeline = new Timeline();
  private readonly audioTimeline = new Timeline();
  private encoder: string | null = null;
  /** What onMetaData says; the media's own headers take precedence. */
  private declared: DeclaredMedia = { width: null, height: null, videoCodec: null, audioCodec: null };
  private videoInfo: VideoInfo = { codec: null, profile: null, width: null, height: null };
  private audioInfo: AudioInfo = { codec: null, profile: null, sampleRate: null, channels: null };
  private mediaBytes = 0;
  private frames = 0;
  private keyframes = 0;
  private lateFrames = 0;
  private droppedFrames = 0;
  private lastFrameTime: number | null = null;
  private lastKeyframeTime: number | null = null;
  private keyframeInterval: number | null = null;

  constructor(options: IngestStatsOptions = {}) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    const windowMs = options.windowMs ?? 5000;
    this.videoFrames = new TimeWindow(windowMs);
    this.videoBytes = new TimeWindow(windowMs);
    this.audioBytes = new TimeWindow(windowMs);
  }

  /** onMetaData's properties: declared size and codecs, used until the media says better. */
  metadata(properties: Readonly<Record<string, unknown>>): void {
    const number = (key: string): number | null => {
      const value = properties[key];
      return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
    };
    const codec = (key: string, name: (id: number) => string | null): string | null => {
      const value = properties[key];
      if (typeof value === 'string') return value;
      return typeof value === 'number' ? name(value) : null;
    };
    const encoder = properties['encoder'];
    this.encoder = typeof encoder === 'string' ? encoder : this.encoder;
    this.declared = {
      width: number('width'),
      height: number('height'),
      videoCodec: codec('videocodecid', videoCodecName),
      audioCodec: codec('audiocodecid', audioCodecName),
    };
  }

  video(timestamp: number, data: Buffer): void {
    const tag = readVideoTag(data);
    if (!tag) return;
    this.mediaBytes += data.length;
    this.videoInfo.codec = tag.codec;
    if (tag.kind === 'config' && tag.codec === 'h264' && tag.config) {
      const avc = parseAvcDecoderConfig(tag.config);
      if (avc) this.videoInfo = { codec: tag.codec, profile: avc.profile, width: avc.width, height: avc.height };
    }
    if (tag.kind !== 'frame') return;

    this.frames += 1;
    const { time, delta } = this.videoTimeline.place(timestamp);
    if (delta < 0) {
      this.lateFrames += 1;
      return; // keep the windows in time order; a late frame's time says nothing about the rate
    }
    const fps = this.videoFrames.ratePerSecond();
    if (this.lastFrameTime !== null && fps) {
      const intervals = Math.round(((time - this.lastFrameTime) * fps) / 1000);
      if (intervals >= DROP_GAP_FACTOR) this.droppedFrames += intervals - 1;
    }
    this.lastFrameTime = time;
    this.videoFrames.add(time, 1);
    this.videoBytes.add(time, data.length);
    if (tag.keyframe) {
      this.keyframes += 1;
      if (this.lastKeyframeTime !== null && time > this.lastKeyframeTime) this.keyframeInterval = (time - this.lastKeyframeTime) / 1000;
      this.lastKeyframeTime = time;
    }
  }

  audio(timestamp: number, data: Buffer): void {
    const tag = readAudioTag(data);
    if (!tag) return;
    this.mediaBytes += data.length;
    if (tag.kind === 'config') {
      const aac = tag.codec === 'aac' && tag.config ? parseAudioSpecificConfig(tag.config) : null;
      this.audioInfo = aac ? { codec: tag.codec, ...aac } : { ...this.audioInfo, codec: tag.codec };
      return;
    }
    // AAC's flags are fixed at 44.1 kHz stereo whatever the audio is; its config tells.
    const fromFlags = tag.codec !== 'aac' ? { sampleRate: tag.sampleRate, channels: tag.channels } : {};
    this.audioInfo = { ...this.audioInfo, codec: tag.codec, ...fromFlags };
    const { time, delta } = this.audioTimeline.place(timestamp);
    if (delta >= 0) this.audioBytes.add(time, data.length);
  }

  snapshot(): IngestStatsSnapshot {
    const videoKbps = kbps(this.videoBytes.sizePerSecond());
    const audioKbps = kbps(this.audioBytes.sizePerSecond());
    return {
      uptimeSeconds: Math.max(0, (this.now() - this.startedAt) / 1000),
      encoder: this.encoder,
      bitrateKbps: videoKbps === null && audioKbps === null ? null : round((videoKbps ?? 0) + (audioKbps ?? 0)),
      mediaBytes: this.mediaBytes,
      video: this.videoSnapshot(videoKbps),
      audio: this.audioSnapshot(audioKbps),
    };
  }

  private videoSnapshot(bitrateKbps: number | null): VideoStats | null {
    const codec = this.videoInfo.codec ?? this.declared.videoCodec;
    if (codec === null) return null;
    const fps = this.videoFrames.ratePerSecond();
    return {
      codec,
      profile: this.videoInfo.profile,
      width: this.videoInfo.width ?? this.declared.width,
      height: this.videoInfo.height ?? this.declared.height,
      fps: fps === null ? null : round(fps),
      keyframeIntervalSeconds: this.keyframeInterval,
      bitrateKbps,
      frames: this.frames,
      keyframes: this.keyframes,
      lateFrames: this.lateFrames,
      droppedFrames: this.droppedFrames,
    };
  }

  private audioSnapshot(bitrateKbps: number | null): AudioStats | null {
    const codec = this.audioInfo.codec ?? this.declared.audioCodec;
    if (codec === null) return null;
    const { profile, sampleRate, channels } = this.audioInfo;
    return { codec, profile, sampleRate, channels, bitrateKbps };
  }
}

function kbps(bytesPerSecond: number | null): number | null {
  return bytesPerSecond === null ? null : round((bytesPerSecond * 8) / 1000);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

import type { IngestStatsSnapshot } from '../../ingest/ingest-stats.js';
import type { IngestHealth } from '../../protocol/api-views.js';

/**
 * The plan's recommended OBS settings (1080p30, 2500 kbps, keyframe 2 s, AAC 48 kHz 128 kbps),
 * with the slack beyond which the dashboard warns: a warning should mean "change this".
 */
export const RECOMMENDED_INGEST = {
  keyframeIntervalSeconds: 2,
  maxKeyframeIntervalSeconds: 2.5,
  maxHeight: 1080,
  minFps: 24,
  maxFps: 60,
  minBitrateKbps: 500,
  maxBitrateKbps: 8000,
  audioSampleRate: 48_000,
  minAudioBitrateKbps: 96,
} as const;

/**
 * Ingest health as the API shows it (snake_case, like the rest of the API), with the
 * warnings a streamer should act on.
 *
 *   ingestHealthView(session.stats()) // { bitrate_kbps: 2480, fps: 30, warnings: [] , … }
 */
export function ingestHealthView(stats: IngestStatsSnapshot): IngestHealth {
  const { video, audio } = stats;
  return {
    uptime_seconds: stats.uptimeSeconds,
    encoder: stats.encoder,
    bitrate_kbps: stats.bitrateKbps,
    video: video && {
      codec: video.codec,
      profile: video.profile,
      width: video.width,
      height: video.height,
      fps: video.fps,
      keyframe_interval_seconds: video.keyframeIntervalSeconds,
      bitrate_kbps: video.bitrateKbps,
      frames: video.frames,
      dropped_frames: video.droppedFrames,
      late_frames: video.lateFrames,
    },
    audio: audio && {
      codec: audio.codec,
      profile: audio.profile,
      sample_rate: audio.sampleRate,
      channels: audio.channels,
      bitrate_kbps: audio.bitrateKbps,
    },
    sending: null, // TODO(H1): what the encoder sends
    warnings: healthWarnings(stats),
  };
}

function healthWarnings({ video, audio, bitrateKbps }: IngestStatsSnapshot): string[] {
  const warnings: string[] = [];
  const limits = RECOMMENDED_INGEST;
  if (!video) warnings.push('No video is arriving: check the video source in OBS.');
  if (!audio) warnings.push('No audio is arriving: check the audio source in OBS.');
  if (video && video.codec !== 'h264') warnings.push(`Video is ${video.codec}; set OBS's encoder to x264 or another H.264 encoder.`);
  if (audio && audio.codec !== 'aac') warnings.push(`Audio is ${audio.codec}; set OBS's audio encoder to AAC.`);
  // Segments are cut at 2 s on keyframes; a longer interval stretches segments and latency.
  if (video?.keyframeIntervalSeconds != null && video.keyframeIntervalSeconds > limits.maxKeyframeIntervalSeconds) {
    warnings.push(
      `Keyframes arrive every ${video.keyframeIntervalSeconds.toFixed(1)} s; set OBS's keyframe interval to ${limits.keyframeIntervalSeconds} s.`,
    );
  }
  if (video?.height != null && video.height > limits.maxHeight) {
    warnings.push(`Video is ${video.width}x${video.height}; viewers get at most 1080p, so set OBS's output resolution to 1920x1080.`);
  }
  if (video?.fps != null && video.fps < limits.minFps) warnings.push(`Frame rate is ${video.fps.toFixed(1)} fps; 30 fps is recommended.`);
  if (video?.fps != null && video.fps > limits.maxFps) warnings.push(`Frame rate is ${video.fps.toFixed(1)} fps; 30 fps is recommended.`);
  if (audio?.sampleRate != null && audio.sampleRate !== limits.audioSampleRate) {
    warnings.push(`Audio is sampled at ${audio.sampleRate / 1000} kHz; set OBS's sample rate to 48 kHz.`);
  }
  if (audio?.bitrateKbps != null && audio.bitrateKbps < limits.minAudioBitrateKbps) {
    warnings.push(`Audio bitrate is only ${Math.round(audio.bitrateKbps)} kbps; 128 kbps is recommended.`);
  }
  if (bitrateKbps != null && bitrateKbps < limits.minBitrateKbps) warnings.push(`Bitrate is only ${Math.round(bitrateKbps)} kbps; 2500 kbps is recommended.`);
  if (bitrateKbps != null && bitrateKbps > limits.maxBitrateKbps) warnings.push(`Bitrate is ${Math.round(bitrateKbps)} kbps; more than viewers can pull, 2500 kbps is recommended.`);
  if (video && video.droppedFrames > 0) warnings.push(`${video.droppedFrames} frames were dropped before they reached us: your upload may be too slow.`);
  return warnings;
}

import type { IngestStatsSnapshot } from '../../ingest/ingest-stats.js';
import type { IngestReading } from '../../live/publishers.js';
import { AUDIO_SOURCE_RATES } from '../../media/ladder.js';
import type { IngestHealth, StreamType } from '../../protocol/api-views.js';

/**
 * The plan's recommended OBS settings (1080p30, 2500 kbps, keyframe 2 s, AAC 48 kHz 128 kbps),
 * with the slack beyond which the dashboard warns: a warning should mean "change this".
 * AAC-LC at 44.1 or 48 kHz is copied as it comes, so both rates are fine.
 */
export const RECOMMENDED_INGEST = {
  keyframeIntervalSeconds: 2,
  maxKeyframeIntervalSeconds: 2.5,
  maxHeight: 1080,
  minFps: 24,
  maxFps: 60,
  minBitrateKbps: 500,
  maxBitrateKbps: 8000,
  audioSampleRates: AUDIO_SOURCE_RATES,
  minAudioBitrateKbps: 96,
} as const;

/**
 * Ingest health as the API shows it (snake_case, like the rest of the API), with the
 * warnings a streamer should act on.
 *
 * `sending` is what the pipeline found the encoder sends when it chose the ladder; the
 * stream's type is what the streamer said it would, and the two are compared.
 *
 *   ingestHealthView(publishers.reading(id), stream.streamType) // { bitrate_kbps: 2480, sending: 'video', warnings: [], … }
 */
export function ingestHealthView({ stats, sending }: IngestReading, streamType: StreamType): IngestHealth {
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
    sending,
    warnings: [...mediaWarnings(stats, sending, streamType), ...healthWarnings(stats)],
  };
}

/**
 * What is missing, and what the streamer said against what arrives. Sound with no picture
 * is an audio stream, not a missing camera; a picture that is announced (onMetaData) but
 * never sent is still missing, as is one before the pipeline knows there is sound only.
 */
function mediaWarnings({ video, audio }: IngestStatsSnapshot, sending: StreamType | null, streamType: StreamType): string[] {
  const warnings: string[] = [];
  const pictureMissing = video ? video.frames === 0 : audio === null || sending === 'video';
  if (sending !== 'audio' && pictureMissing) warnings.push('No video is arriving: check the video source in OBS.');
  if (!audio) warnings.push('No audio is arriving: check the audio source in OBS.');
  if (sending === 'audio' && streamType === 'video') {
    warnings.push(
      'Your encoder is sending sound only, so viewers get the listening player; switch this stream to an audio stream so its card shows cover art.',
    );
  }
  if (sending === 'video' && streamType === 'audio' && video && video.frames > 0) {
    warnings.push(
      'Your encoder is sending a picture, so viewers get the video player; switch this stream to a video stream, or send sound only for the listening player.',
    );
  }
  return warnings;
}

function healthWarnings({ video, audio, bitrateKbps }: IngestStatsSnapshot): string[] {
  const warnings: string[] = [];
  const limits = RECOMMENDED_INGEST;
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
  if (audio?.sampleRate != null && !limits.audioSampleRates.includes(audio.sampleRate)) {
    warnings.push(`Audio is sampled at ${audio.sampleRate / 1000} kHz; set OBS's sample rate to 48 kHz.`);
  }
  if (audio?.bitrateKbps != null && audio.bitrateKbps < limits.minAudioBitrateKbps) {
    warnings.push(`Audio bitrate is only ${Math.round(audio.bitrateKbps)} kbps; 128 kbps is recommended.`);
  }
  // The overall minimum is a picture's: sound alone is a few hundred kbit/s at most, and its own figure is checked above.
  if (video && video.frames > 0 && bitrateKbps != null && bitrateKbps < limits.minBitrateKbps) warnings.push(`Bitrate is only ${Math.round(bitrateKbps)} kbps; 2500 kbps is recommended.`);
  if (bitrateKbps != null && bitrateKbps > limits.maxBitrateKbps) warnings.push(`Bitrate is ${Math.round(bitrateKbps)} kbps; more than viewers can pull, 2500 kbps is recommended.`);
  if (video && video.droppedFrames > 0) warnings.push(`${video.droppedFrames} frames were dropped before they reached us: your upload may be too slow.`);
  return warnings;
}

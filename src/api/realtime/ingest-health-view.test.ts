import { describe, expect, it } from 'vitest';
import type { AudioStats, IngestStatsSnapshot, VideoStats } from '../../ingest/ingest-stats.js';
import { ingestHealthView } from './ingest-health-view.js';

const recommendedVideo: VideoStats = {
  codec: 'h264',
  profile: 'High',
  width: 1920,
  height: 1080,
  fps: 30,
  keyframeIntervalSeconds: 2,
  bitrateKbps: 2500,
  frames: 900,
  keyframes: 15,
  lateFrames: 0,
  droppedFrames: 0,
};
const recommendedAudio: AudioStats = { codec: 'aac', profile: 'LC', sampleRate: 48_000, channels: 2, bitrateKbps: 128 };

function health(video: Partial<VideoStats> | null, audio: Partial<AudioStats> | null, bitrateKbps = 2628): IngestStatsSnapshot {
  return {
    uptimeSeconds: 30,
    encoder: 'obs-output module (libobs version 30.0.0)',
    bitrateKbps,
    mediaBytes: 9_855_000,
    video: video && { ...recommendedVideo, ...video },
    audio: audio && { ...recommendedAudio, ...audio },
  };
}

describe('ingest health warnings against the recommended OBS settings', () => {
  it('has nothing to say about the recommended settings, and shows every figure', () => {
    const view = ingestHealthView(health({}, {}));
    expect(view.warnings).toEqual([]);
    expect(view).toMatchObject({
      uptime_seconds: 30,
      bitrate_kbps: 2628,
      video: { codec: 'h264', width: 1920, height: 1080, fps: 30, keyframe_interval_seconds: 2, dropped_frames: 0 },
      audio: { codec: 'aac', sample_rate: 48_000, bitrate_kbps: 128 },
    });
  });

  it.each<[string, Partial<VideoStats> | null, Partial<AudioStats> | null, number | undefined, RegExp]>([
    ['no video', null, {}, undefined, /No video is arriving/],
    ['no audio', {}, null, undefined, /No audio is arriving/],
    ['HEVC video', { codec: 'hevc' }, {}, undefined, /H\.264/],
    ['MP3 audio', {}, { codec: 'mp3' }, undefined, /AAC/],
    ['keyframes every 8 s (OBS "auto")', { keyframeIntervalSeconds: 8 }, {}, undefined, /keyframe interval to 2 s/],
    ['4K video', { width: 3840, height: 2160 }, {}, undefined, /1920x1080/],
    ['15 fps', { fps: 15 }, {}, undefined, /15\.0 fps/],
    ['120 fps', { fps: 120 }, {}, undefined, /120\.0 fps/],
    ['44.1 kHz audio', {}, { sampleRate: 44_100 }, undefined, /44\.1 kHz.*48 kHz/],
    ['64 kbps audio', {}, { bitrateKbps: 64 }, undefined, /128 kbps/],
    ['300 kbps in all', {}, {}, 300, /only 300 kbps/],
    ['12 Mbps in all', {}, {}, 12_000, /12000 kbps/],
    ['dropped frames', { droppedFrames: 42 }, {}, undefined, /42 frames were dropped/],
  ])('warns about %s', (_case, video, audio, bitrate, warning) => {
    const { warnings } = ingestHealthView(health(video, audio, bitrate));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(warning);
  });

  it('does not warn about a keyframe interval a little over 2 s (timestamps jitter)', () => {
    expect(ingestHealthView(health({ keyframeIntervalSeconds: 2.1 }, {})).warnings).toEqual([]);
  });
});

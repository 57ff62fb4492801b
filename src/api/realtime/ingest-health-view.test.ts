import { describe, expect, it } from 'vitest';
import type { AudioStats, IngestStatsSnapshot, VideoStats } from '../../ingest/ingest-stats.js';
import type { IngestReading } from '../../live/publishers.js';
import type { StreamType } from '../../protocol/api-views.js';
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

function stats(video: Partial<VideoStats> | null, audio: Partial<AudioStats> | null, bitrateKbps = 2628): IngestStatsSnapshot {
  return {
    uptimeSeconds: 30,
    encoder: 'obs-output module (libobs version 30.0.0)',
    bitrateKbps,
    mediaBytes: 9_855_000,
    video: video && { ...recommendedVideo, ...video },
    audio: audio && { ...recommendedAudio, ...audio },
  };
}

/** What a video encoder's health reads once the pipeline has chosen its ladder. */
function health(video: Partial<VideoStats> | null, audio: Partial<AudioStats> | null, bitrateKbps?: number): IngestReading {
  return { stats: stats(video, audio, bitrateKbps), sending: 'video' };
}

const view = (reading: IngestReading, streamType: StreamType = 'video') => ingestHealthView(reading, streamType);

describe('ingest health warnings against the recommended OBS settings', () => {
  it('has nothing to say about the recommended settings, and shows every figure', () => {
    const answer = view(health({}, {}));
    expect(answer.warnings).toEqual([]);
    expect(answer).toMatchObject({
      sending: 'video',
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
    ['32 kHz audio', {}, { sampleRate: 32_000 }, undefined, /32 kHz.*48 kHz/],
    ['64 kbps audio', {}, { bitrateKbps: 64 }, undefined, /128 kbps/],
    ['300 kbps in all', {}, {}, 300, /only 300 kbps/],
    ['12 Mbps in all', {}, {}, 12_000, /12000 kbps/],
    ['dropped frames', { droppedFrames: 42 }, {}, undefined, /42 frames were dropped/],
  ])('warns about %s', (_case, video, audio, bitrate, warning) => {
    const { warnings } = view(health(video, audio, bitrate));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(warning);
  });

  it('does not warn about a keyframe interval a little over 2 s (timestamps jitter)', () => {
    expect(view(health({ keyframeIntervalSeconds: 2.1 }, {})).warnings).toEqual([]);
  });

  it('takes 44.1 kHz AAC as it takes 48 kHz: either is copied', () => {
    expect(view(health({}, { sampleRate: 44_100 })).warnings).toEqual([]);
  });
});

describe('ingest health of an encoder sending sound only', () => {
  const soundOnly = (audio: Partial<AudioStats>, bitrateKbps: number): IngestReading => ({ stats: stats(null, audio, bitrateKbps), sending: 'audio' });

  it.each([128, 192, 320])('has nothing to say about an audio stream at %i kbps, nor calls the picture missing', (kbps) => {
    const answer = view(soundOnly({ bitrateKbps: kbps }, kbps), 'audio');
    expect(answer.sending).toBe('audio');
    expect(answer.video).toBeNull();
    expect(answer.warnings).toEqual([]);
  });

  it('says in words that a video stream is getting sound only, and what to switch', () => {
    const { warnings } = view(soundOnly({}, 128), 'video');
    expect(warnings).toEqual([
      'Your encoder is sending sound only, so viewers get the listening player; switch this stream to an audio stream so its card shows cover art.',
    ]);
  });

  it('says the converse when an audio stream gets a picture', () => {
    const { warnings } = view(health({}, {}), 'audio');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/sending a picture.*switch this stream to a video stream/);
  });

  it('still warns about sound below the recommended bitrate', () => {
    expect(view(soundOnly({ bitrateKbps: 64 }, 64), 'audio').warnings).toEqual(['Audio bitrate is only 64 kbps; 128 kbps is recommended.']);
  });

  it('keeps "No video is arriving" for an encoder that announces video (onMetaData) and sends none', () => {
    const announced = stats({ frames: 0, keyframes: 0, fps: null, keyframeIntervalSeconds: null, bitrateKbps: null }, {}, 128);
    for (const sending of [null, 'video'] as const) {
      const { warnings } = view({ stats: announced, sending }, 'video');
      expect(warnings).toContain('No video is arriving: check the video source in OBS.');
    }
  });

  it('says nothing about the picture while the pipeline is still listening for one (sound so far, nothing announced)', () => {
    const answer = view({ stats: stats(null, {}, 128), sending: null }, 'audio');
    expect(answer.sending).toBeNull();
    expect(answer.warnings).toEqual([]);
  });
});

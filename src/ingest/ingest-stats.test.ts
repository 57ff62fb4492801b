import { describe, expect, it } from 'vitest';
import { IngestStats } from './ingest-stats.js';

// A real x264 640x360 High profile AVCDecoderConfigurationRecord (see media/avc.test.ts).
const AVC_RECORD = Buffer.from(
  '0164001effe1001a6764001eacd940a02ff970110000030001000003003c0f162d9601000668ebe3cb22c0fdf8f800',
  'hex',
);
const AVC_SEQUENCE_HEADER = Buffer.concat([Buffer.from([0x17, 0x00, 0, 0, 0]), AVC_RECORD]);
const AAC_SEQUENCE_HEADER = Buffer.from([0xaf, 0x00, 0x11, 0x90]); // LC, 48 kHz, stereo

function videoFrame(keyframe: boolean, size: number): Buffer {
  const frame = Buffer.alloc(size);
  frame.set([keyframe ? 0x17 : 0x27, 0x01, 0, 0, 0]);
  return frame;
}

function audioFrame(size: number): Buffer {
  const frame = Buffer.alloc(size);
  frame.set([0xaf, 0x01]);
  return frame;
}

/**
 * `seconds` of 30 fps video (1000-byte frames, a keyframe every 60) and 48 kHz AAC
 * (200-byte frames of 1024 samples), interleaved by time. Answers the bytes fed.
 */
function feed(stats: IngestStats, seconds: number, options: { skipFrames?: ReadonlySet<number> } = {}): number {
  let bytes = AVC_SEQUENCE_HEADER.length + AAC_SEQUENCE_HEADER.length;
  stats.video(0, AVC_SEQUENCE_HEADER);
  stats.audio(0, AAC_SEQUENCE_HEADER);
  const frames = seconds * 30;
  const audioFrames = Math.floor((seconds * 48000) / 1024);
  let audio = 0;
  for (let frame = 0; frame < frames; frame += 1) {
    const time = Math.round((frame * 1000) / 30);
    while (audio < audioFrames && Math.round((audio * 1024 * 1000) / 48000) <= time) {
      stats.audio(Math.round((audio * 1024 * 1000) / 48000), audioFrame(200));
      bytes += 200;
      audio += 1;
    }
    if (options.skipFrames?.has(frame)) continue;
    stats.video(time, videoFrame(frame % 60 === 0, 1000));
    bytes += 1000;
  }
  return bytes;
}

describe('IngestStats', () => {
  it('reports codecs, resolution from the SPS, frame rate, keyframe interval and bitrates', () => {
    const stats = new IngestStats();
    const bytes = feed(stats, 6);
    const snapshot = stats.snapshot();
    expect(snapshot.video).toMatchObject({
      codec: 'h264',
      profile: 'High',
      width: 640,
      height: 360,
      keyframeIntervalSeconds: 2,
      frames: 180,
      keyframes: 3,
      lateFrames: 0,
      droppedFrames: 0,
    });
    expect(snapshot.video?.fps).toBeCloseTo(30, 1);
    expect(snapshot.video?.bitrateKbps).toBeCloseTo(240, 0); // 1000 bytes × 30 fps × 8
    expect(snapshot.audio).toMatchObject({ codec: 'aac', profile: 'LC', sampleRate: 48000, channels: 2 });
    expect(snapshot.audio?.bitrateKbps).toBeCloseTo(75, 0); // 200 bytes × 46.875 frames/s × 8
    expect(snapshot.bitrateKbps).toBeCloseTo(315, 0);
    expect(snapshot.mediaBytes).toBe(bytes);
  });

  it('uses onMetaData until the media says better', () => {
    const stats = new IngestStats();
    stats.metadata({ width: 1280, height: 720, videocodecid: 7, audiocodecid: 10, encoder: 'obs-output module' });
    expect(stats.snapshot()).toMatchObject({
      encoder: 'obs-output module',
      video: { codec: 'h264', width: 1280, height: 720, fps: null },
      audio: { codec: 'aac', sampleRate: null },
    });
    stats.video(0, AVC_SEQUENCE_HEADER);
    expect(stats.snapshot().video).toMatchObject({ width: 640, height: 360 });
  });

  it('counts frames whose timestamp goes backwards as late, leaving the frame rate alone', () => {
    const stats = new IngestStats();
    feed(stats, 2);
    stats.video(500, videoFrame(false, 1000));
    const video = stats.snapshot().video;
    expect(video?.lateFrames).toBe(1);
    expect(video?.fps).toBeCloseTo(30, 1);
  });

  it('estimates dropped frames from gaps in the timestamps', () => {
    const stats = new IngestStats();
    feed(stats, 3, { skipFrames: new Set([40, 41, 42, 70]) });
    expect(stats.snapshot().video?.droppedFrames).toBe(4);
  });

  it('measures uptime on the wall clock', () => {
    let now = 1_000_000;
    const stats = new IngestStats({ now: () => now });
    now += 12_500;
    expect(stats.snapshot().uptimeSeconds).toBe(12.5);
  });

  it('has nothing to say before media or metadata arrive', () => {
    expect(new IngestStats().snapshot()).toMatchObject({ encoder: null, bitrateKbps: null, mediaBytes: 0, video: null, audio: null });
  });

  it('reads sample rate and channels from the flags of non-AAC audio', () => {
    const stats = new IngestStats();
    stats.audio(0, Buffer.from([0x2f, 0xff])); // MP3, 44.1 kHz, stereo
    expect(stats.snapshot().audio).toMatchObject({ codec: 'mp3', sampleRate: 44100, channels: 2 });
  });
});

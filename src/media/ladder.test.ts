import { describe, expect, it } from 'vitest';
import { keyframesAlign, planAudioLadder, planLadder, type SourceInfo } from './ladder.js';

const source = (overrides: Partial<SourceInfo> = {}): SourceInfo => ({
  videoCodec: 'h264',
  audioCodec: 'aac',
  width: 1920,
  height: 1080,
  fps: 30,
  audioSampleRate: 48_000,
  audioProfile: 'LC',
  audioKbps: 128,
  avcCodecs: 'avc1.64002a',
  bitrateKbps: 4500,
  keyframeIntervalSeconds: 2,
  hasAudio: true,
  ...overrides,
});

const summary = (plans: ReturnType<typeof planLadder>) => plans.map((plan) => `${plan.name}:${plan.width}x${plan.height}:${plan.video}/${plan.audio}`);

describe('the ladder a stream gets', () => {
  it.each([
    ['1080p H.264/AAC 48k, 720p', source(), '720p', ['source:1920x1080:copy/copy', '720p:1280x720:encode/encode', '480p:854x480:encode/encode', '360p:640x360:encode/encode']],
    ['a 640x360 source never gets taller rungs', source({ width: 640, height: 360 }), '720p', ['source:640x360:copy/copy', '360p:640x360:encode/encode']],
    ['the choice names the top rung', source(), '480p', ['source:1920x1080:copy/copy', '480p:854x480:encode/encode', '360p:640x360:encode/encode']],
    ['source only', source(), 'source', ['source:1920x1080:copy/copy']],
    ['HEVC is transcoded, not copied', source({ videoCodec: 'hevc' }), 'source', ['source:1920x1080:encode/copy']],
    ['AAC at 44.1 kHz is re-encoded at 48 kHz', source({ audioSampleRate: 44_100 }), 'source', ['source:1920x1080:copy/encode']],
    ['keyframes every second still line up', source({ keyframeIntervalSeconds: 1 }), 'source', ['source:1920x1080:copy/copy']],
    ['keyframes every 4 s: the source is re-encoded on the 2 s grid', source({ keyframeIntervalSeconds: 4 }), '360p', ['source:1920x1080:encode/copy', '360p:640x360:encode/encode']],
    ['keyframes every 1.5 s: re-encoded', source({ keyframeIntervalSeconds: 1.5 }), 'source', ['source:1920x1080:encode/copy']],
    ['an unmeasured keyframe interval: re-encoded', source({ keyframeIntervalSeconds: null }), 'source', ['source:1920x1080:encode/copy']],
    ['Main and Baseline are copied', source({ avcCodecs: 'avc1.4d401f' }), 'source', ['source:1920x1080:copy/copy']],
    ['High 4:4:4 Predictive (GStreamer from RGB) is re-encoded', source({ avcCodecs: 'avc1.f4001e' }), 'source', ['source:1920x1080:encode/copy']],
    ['High 10 is re-encoded', source({ avcCodecs: 'avc1.6e0028' }), 'source', ['source:1920x1080:encode/copy']],
    ['an unknown profile is re-encoded', source({ avcCodecs: null }), 'source', ['source:1920x1080:encode/copy']],
    ['a 4:3 source keeps its shape, in even numbers', source({ width: 1440, height: 1080 }), '480p', ['source:1440x1080:copy/copy', '480p:640x480:encode/encode', '360p:480x360:encode/encode']],
  ] as const)('%s', (_name, input, quality, expected) => {
    expect(summary(planLadder(input, quality))).toEqual(expected);
  });

  it('falls back to 1080p when the source did not say its size', () => {
    expect(summary(planLadder(source({ width: null, height: null }), '360p'))).toEqual(['source:1920x1080:copy/copy', '360p:640x360:encode/encode']);
  });

  it('names the codecs players need: the source profile when copied, Main 3.1 when encoded', () => {
    const [copied, encoded] = planLadder(source(), '720p');
    expect(copied?.codecs).toBe('avc1.64002a,mp4a.40.2');
    expect(encoded?.codecs).toBe('avc1.4d401f,mp4a.40.2');
    expect(planLadder(source({ keyframeIntervalSeconds: 3 }), 'source')[0]?.codecs).toBe('avc1.4d401f,mp4a.40.2');
  });

  it('names no audio codec when the encoder sends no sound', () => {
    expect(planLadder(source({ hasAudio: false }), '360p').map((plan) => plan.codecs)).toEqual(['avc1.64002a', 'avc1.4d401f']);
  });
});

describe('the ladder of a stream with sound only', () => {
  const sound = (overrides: Partial<SourceInfo>) =>
    source({ videoCodec: null, width: null, height: null, fps: null, avcCodecs: null, keyframeIntervalSeconds: null, ...overrides });
  const audioSummary = (plans: ReturnType<typeof planAudioLadder>) => plans.map((plan) => `${plan.name}:${plan.video}/${plan.audio}:${plan.audioKbps}k:${plan.codecs}`);

  it.each([
    ['AAC-LC 48 kHz is copied at its own bitrate', sound({ audioKbps: 131.2 }), ['audio:none/copy:131k:mp4a.40.2', 'audio-64k:none/encode:64k:mp4a.40.2']],
    ['AAC-LC 44.1 kHz is copied', sound({ audioSampleRate: 44_100 }), ['audio:none/copy:128k:mp4a.40.2', 'audio-64k:none/encode:64k:mp4a.40.2']],
    ['MP3 is re-encoded at 160 kbit/s', sound({ audioCodec: 'mp3', audioProfile: null, audioSampleRate: 44_100 }), ['audio:none/encode:160k:mp4a.40.2', 'audio-64k:none/encode:64k:mp4a.40.2']],
    ['AAC at 22.05 kHz is re-encoded', sound({ audioSampleRate: 22_050 }), ['audio:none/encode:160k:mp4a.40.2', 'audio-64k:none/encode:64k:mp4a.40.2']],
    ['HE-AAC is re-encoded as AAC-LC', sound({ audioProfile: 'HE-AAC' }), ['audio:none/encode:160k:mp4a.40.2', 'audio-64k:none/encode:64k:mp4a.40.2']],
    ['an unmeasured bitrate is taken as 128 kbit/s', sound({ audioKbps: null }), ['audio:none/copy:128k:mp4a.40.2', 'audio-64k:none/encode:64k:mp4a.40.2']],
  ] as const)('%s', (_name, input, expected) => {
    expect(audioSummary(planAudioLadder(input))).toEqual(expected);
  });
});

describe('whether copied keyframes line up with the 2 s segments', () => {
  it.each([
    [2, true],
    [1, true],
    [0.5, true],
    [2.001, true],
    [1.999, true],
    [0.667, true],
    [2.02, false],
    [1.5, false],
    [3, false],
    [4, false],
    [0, false],
    [null, false],
  ] as const)('every %s s: %s', (interval, aligned) => {
    expect(keyframesAlign(interval)).toBe(aligned);
  });
});

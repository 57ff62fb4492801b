import { describe, expect, it } from 'vitest';
import { planAudioLadder, planLadder } from './ladder.js';
import { masterPlaylist } from './master-playlist.js';

describe('the multivariant playlist', () => {
  it('lists every rendition, source first, with bandwidth, resolution, frame rate and codecs', () => {
    const plans = planLadder(
      { videoCodec: 'h264', audioCodec: 'aac', width: 1280, height: 720, fps: 30, audioSampleRate: 48_000, audioProfile: 'LC', audioKbps: 128, avcCodecs: 'avc1.42c01f', bitrateKbps: 3000, keyframeIntervalSeconds: 2, hasAudio: true },
      '480p',
    );
    const lines = masterPlaylist(plans, 29.97).trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-INDEPENDENT-SEGMENTS']);
    expect(lines.slice(3)).toEqual([
      '#EXT-X-STREAM-INF:BANDWIDTH=4692000,AVERAGE-BANDWIDTH=3128000,RESOLUTION=1280x720,FRAME-RATE=29.970,CODECS="avc1.42c01f,mp4a.40.2",NAME="source"',
      'source/index.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=1205600,AVERAGE-BANDWIDTH=1096000,RESOLUTION=854x480,FRAME-RATE=29.970,CODECS="avc1.4d401f,mp4a.40.2",NAME="480p"',
      '480p/index.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=730400,AVERAGE-BANDWIDTH=664000,RESOLUTION=640x360,FRAME-RATE=29.970,CODECS="avc1.4d401f,mp4a.40.2",NAME="360p"',
      '360p/index.m3u8',
    ]);
  });

  it('lists no audio codec for a stream without sound', () => {
    const plans = planLadder(
      { videoCodec: 'h264', audioCodec: null, width: 640, height: 360, fps: 30, audioSampleRate: null, audioProfile: null, audioKbps: null, avcCodecs: 'avc1.42c01e', bitrateKbps: 800, keyframeIntervalSeconds: 2, hasAudio: false },
      '360p',
    );
    const codecs = [...masterPlaylist(plans, 30).matchAll(/CODECS="([^"]+)"/g)].map((match) => match[1]);
    expect(codecs).toEqual(['avc1.42c01e', 'avc1.4d401f']);
  });

  it('names only the audio codec, and no picture, for a stream with sound only', () => {
    const plans = planAudioLadder(
      { videoCodec: null, audioCodec: 'aac', width: null, height: null, fps: null, audioSampleRate: 48_000, audioProfile: 'LC', audioKbps: 128, avcCodecs: null, bitrateKbps: 128, keyframeIntervalSeconds: null, hasAudio: true },
    );
    expect(masterPlaylist(plans, null).trim().split('\n').slice(3)).toEqual([
      '#EXT-X-STREAM-INF:BANDWIDTH=192000,AVERAGE-BANDWIDTH=128000,CODECS="mp4a.40.2",NAME="audio"',
      'audio/index.m3u8',
      '#EXT-X-STREAM-INF:BANDWIDTH=70400,AVERAGE-BANDWIDTH=64000,CODECS="mp4a.40.2",NAME="audio-64k"',
      'audio-64k/index.m3u8',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { audioCodecName, readAudioTag, readVideoTag, videoCodecName } from './flv-media.js';

const tag = (...bytes: number[]): Buffer => Buffer.from(bytes);

describe('readVideoTag', () => {
  it('reads the AVC sequence header as config, with the record after the 5-byte header', () => {
    expect(readVideoTag(tag(0x17, 0x00, 0, 0, 0, 0x01, 0x64))).toEqual({
      codec: 'h264', keyframe: true, kind: 'config', config: tag(0x01, 0x64),
    });
  });

  it('tells AVC keyframes from inter frames and end-of-sequence', () => {
    expect(readVideoTag(tag(0x17, 0x01, 0, 0, 0, 0xaa))).toMatchObject({ kind: 'frame', keyframe: true });
    expect(readVideoTag(tag(0x27, 0x01, 0, 0, 0x21, 0xaa))).toMatchObject({ kind: 'frame', keyframe: false });
    expect(readVideoTag(tag(0x17, 0x02, 0, 0, 0))).toMatchObject({ kind: 'other' });
  });

  it('names classic codec ids and counts their every tag as a frame', () => {
    expect(readVideoTag(tag(0x12, 0xff))).toMatchObject({ codec: 'flv1', kind: 'frame', keyframe: true });
    expect(readVideoTag(tag(0x24, 0xff))).toMatchObject({ codec: 'vp6f', kind: 'frame', keyframe: false });
    expect(readVideoTag(tag(0x2f))).toMatchObject({ codec: 'flv video codec 15' });
  });

  it('skips video info/command frames', () => {
    expect(readVideoTag(tag(0x57, 0x00))).toMatchObject({ kind: 'other', keyframe: false });
  });

  it('reads Enhanced RTMP FourCC headers', () => {
    const hevcStart = Buffer.concat([tag(0x90), Buffer.from('hvc1'), tag(0x01)]);
    expect(readVideoTag(hevcStart)).toEqual({ codec: 'hevc', keyframe: true, kind: 'config', config: tag(0x01) });
    const av1Frame = Buffer.concat([tag(0xa1), Buffer.from('av01'), tag(0xaa)]);
    expect(readVideoTag(av1Frame)).toMatchObject({ codec: 'av1', keyframe: false, kind: 'frame' });
    const vp9FrameX = Buffer.concat([tag(0x93), Buffer.from('vp09')]);
    expect(readVideoTag(vp9FrameX)).toMatchObject({ codec: 'vp9', keyframe: true, kind: 'frame' });
    expect(readVideoTag(tag(0x91, 0x61))).toBeNull();
  });

  it('answers null for an empty body', () => {
    expect(readVideoTag(Buffer.alloc(0))).toBeNull();
  });
});

describe('readAudioTag', () => {
  it('reads the AAC sequence header as config and raw AAC as frames', () => {
    expect(readAudioTag(tag(0xaf, 0x00, 0x11, 0x88))).toMatchObject({ codec: 'aac', kind: 'config', config: tag(0x11, 0x88) });
    expect(readAudioTag(tag(0xaf, 0x01, 0x21))).toMatchObject({ codec: 'aac', kind: 'frame', config: null });
  });

  it('reads rate and channels from the flags of other codecs', () => {
    expect(readAudioTag(tag(0x2e, 0xff))).toEqual({ codec: 'mp3', kind: 'frame', config: null, sampleRate: 44100, channels: 1 });
    expect(readAudioTag(tag(0x7b))).toMatchObject({ codec: 'pcm_alaw', sampleRate: 22050, channels: 2 });
    expect(readAudioTag(tag(0x52))).toMatchObject({ codec: 'nellymoser', sampleRate: 8000 });
  });

  it('reads Enhanced RTMP audio FourCC headers', () => {
    expect(readAudioTag(Buffer.concat([tag(0x90), Buffer.from('Opus'), tag(1)]))).toMatchObject({ codec: 'opus', kind: 'config' });
    expect(readAudioTag(Buffer.concat([tag(0x91), Buffer.from('fLaC'), tag(1)]))).toMatchObject({ codec: 'flac', kind: 'frame' });
  });

  it('answers null for an empty body', () => {
    expect(readAudioTag(Buffer.alloc(0))).toBeNull();
  });
});

describe('codec names for onMetaData ids', () => {
  it('maps known ids and answers null for others', () => {
    expect([videoCodecName(7), videoCodecName(12), videoCodecName(99)]).toEqual(['h264', 'hevc', null]);
    expect([audioCodecName(10), audioCodecName(2), audioCodecName(99)]).toEqual(['aac', 'mp3', null]);
  });
});

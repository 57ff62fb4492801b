import { describe, expect, it } from 'vitest';
import { parseAvcDecoderConfig } from './avc.js';

// AVCDecoderConfigurationRecords from Debian's ffmpeg 5.1 + libx264 (testsrc2, one frame, -f flv).
const RECORDS = {
  high640x360:
    '0164001effe1001a6764001eacd940a02ff970110000030001000003003c0f162d9601000668ebe3cb22c0fdf8f800',
  main1920x1080: '014d4028ffe1001a674d4028eca03c0113f2e022000003000200000300781e30632c01000568ebe3cb20',
  constrainedBaseline320x240: '0142c00dffe100186742c00dd90141fb0110000003001000000303c0f142a48001000568cb83cb20',
  high444at1280x720: '01f4001fffe1001a67f4001f919b280a00b76022000003000200000300781e30632c01000668ebe3c44844fff8f800',
};

describe('parseAvcDecoderConfig', () => {
  it.each([
    ['high640x360', { profile: 'High', level: 3, width: 640, height: 360 }],
    ['main1920x1080', { profile: 'Main', level: 4, width: 1920, height: 1080 }],
    ['constrainedBaseline320x240', { profile: 'Constrained Baseline', level: 1.3, width: 320, height: 240 }],
    ['high444at1280x720', { profile: 'High 4:4:4 Predictive', level: 3.1, width: 1280, height: 720 }],
  ] as const)('reads %s, frame cropping included', (name, expected) => {
    expect(parseAvcDecoderConfig(Buffer.from(RECORDS[name], 'hex'))).toEqual(expected);
  });

  it('answers null for records without a readable SPS', () => {
    const record = Buffer.from(RECORDS.high640x360, 'hex');
    expect(parseAvcDecoderConfig(Buffer.alloc(0))).toBeNull();
    expect(parseAvcDecoderConfig(record.subarray(0, 12))).toBeNull(); // SPS cut short
    const noSps = Buffer.from(record);
    noSps[5] = 0xe0;
    expect(parseAvcDecoderConfig(noSps)).toBeNull();
    const truncatedSps = Buffer.from(record.subarray(0, 14));
    truncatedSps.writeUInt16BE(6, 6);
    expect(parseAvcDecoderConfig(truncatedSps)).toBeNull();
  });
});

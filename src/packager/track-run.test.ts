import { describe, expect, it } from 'vitest';
import type { TrackInfo } from './fragment-info.js';
import { NON_SYNC, readTrackFragment } from './track-run.js';

const box = (type: string, ...payload: Buffer[]): Buffer => {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
};
const words = (...values: number[]): Buffer => {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => buffer.writeUInt32BE(value >>> 0, index * 4));
  return buffer;
};

const track: TrackInfo = { id: 1, timescale: 90_000, kind: 'video', defaultDuration: 3000, defaultFlags: NON_SYNC };

describe('readTrackFragment', () => {
  it('resolves each field from the trun, else the tfhd, else the init, and first_sample_flags for the first sample only', () => {
    // tfhd: default-base-is-moof + default_sample_size (0x10) = 500; no default duration, so the init's 3000 holds.
    const tfhd = box('tfhd', words(0x02_0010, 1, 500));
    const tfdt = box('tfdt', Buffer.from([1, 0, 0, 0]), Buffer.from([0, 0, 0, 0, 0, 0, 0x46, 0x50]));
    // trun: data offset (0x01) 100, first_sample_flags (0x04) sync, per-sample sizes (0x200) for 3 samples.
    const trun = box('trun', words(0x000205, 3, 100, 0, 10, 20, 30));
    const otherTrack = box('traf', box('tfhd', words(0x02_0000, 2)), box('trun', words(0x000100, 1, 1024)));
    const moof = box('moof', box('mfhd', words(0, 1)), otherTrack, box('traf', tfhd, tfdt, trun));

    const run = readTrackFragment(moof, track);
    expect(run).toEqual({
      absoluteOffsets: false,
      baseIsMoof: true,
      decodeTime: 0x4650,
      samples: [
        { dataOffset: 100, size: 10, duration: 3000, flags: 0 },
        { dataOffset: 110, size: 20, duration: 3000, flags: NON_SYNC },
        { dataOffset: 130, size: 30, duration: 3000, flags: NON_SYNC },
      ],
    });
    expect(readTrackFragment(moof, { ...track, id: 3 })).toBeUndefined();
  });
});

import { findBoxes } from './box-reader.js';
import type { TrackInfo } from './fragment-info.js';

/** One sample of a track fragment, as its `trun` (with the `tfhd`'s and the init's defaults) describes it. */
export interface RunSample {
  /** Where its bytes start, from the track fragment's base (the `moof`'s first byte under default-base-is-moof). */
  readonly dataOffset: number;
  readonly size: number;
  readonly duration: number;
  readonly flags: number;
}

/** One track's part of a fragment: its `traf`, read. */
export interface TrackFragment {
  /** tfhd's base_data_offset was present: offsets are absolute file positions, not from the `moof`. */
  readonly absoluteOffsets: boolean;
  /** tfhd's default-base-is-moof flag. */
  readonly baseIsMoof: boolean;
  /** tfdt, in the track's timescale. */
  readonly decodeTime: number;
  readonly samples: readonly RunSample[];
}

/** sample_flags' sample_is_non_sync_sample bit. */
export const NON_SYNC = 0x0001_0000;

/**
 * The `traf` of `track` in a `moof` (ISO/IEC 14496-12 §8.8): its samples with every default
 * resolved (trun field, else tfhd default, else the init's trex); undefined when the fragment
 * has none of that track. The packager reads durations and sync flags from it, the real-time
 * sender the bytes.
 *
 *   const run = readTrackFragment(moof, track); // run?.samples[0].flags & NON_SYNC
 */
export function readTrackFragment(moof: Buffer, track: TrackInfo): TrackFragment | undefined {
  for (const traf of findBoxes(moof, ['traf'])) {
    const tfhd = findBoxes(traf.data, ['tfhd'])[0]?.data;
    if (!tfhd || tfhd.readUInt32BE(12) !== track.id) continue;
    const header = readHeader(tfhd, track);
    const samples: RunSample[] = [];
    for (const trun of findBoxes(traf.data, ['trun'])) samples.push(...readRun(trun.data, header));
    return { absoluteOffsets: header.absoluteOffsets, baseIsMoof: header.baseIsMoof, decodeTime: readDecodeTime(findBoxes(traf.data, ['tfdt'])[0]?.data), samples };
  }
  return undefined;
}

interface Header {
  readonly absoluteOffsets: boolean;
  readonly baseIsMoof: boolean;
  readonly duration: number;
  readonly size: number;
  readonly flags: number;
}

function readHeader(tfhd: Buffer, track: TrackInfo): Header {
  const flags = tfhd.readUInt32BE(8) & 0xff_ffff;
  let offset = 16;
  if (flags & 0x01) offset += 8;
  if (flags & 0x02) offset += 4;
  const field = (bit: number, fallback: number): number => {
    if (!(flags & bit)) return fallback;
    const value = tfhd.readUInt32BE(offset);
    offset += 4;
    return value;
  };
  const duration = field(0x08, track.defaultDuration);
  const size = field(0x10, 0);
  return { absoluteOffsets: (flags & 0x01) !== 0, baseIsMoof: (flags & 0x02_0000) !== 0, duration, size, flags: field(0x20, track.defaultFlags) };
}

function readRun(box: Buffer, header: Header): RunSample[] {
  const flags = box.readUInt32BE(8) & 0xff_ffff;
  const count = box.readUInt32BE(12);
  let offset = 16;
  const optional = (bit: number): number | undefined => {
    if (!(flags & bit)) return undefined;
    const value = box.readUInt32BE(offset);
    offset += 4;
    return value;
  };
  let dataOffset = flags & 0x01 ? box.readInt32BE(offset) : 0;
  if (flags & 0x01) offset += 4;
  const firstFlags = optional(0x04);
  const samples: RunSample[] = [];
  for (let index = 0; index < count; index += 1) {
    const duration = optional(0x100) ?? header.duration;
    const size = optional(0x200) ?? header.size;
    const sampleFlags = optional(0x400) ?? (index === 0 ? firstFlags : undefined) ?? header.flags;
    // Composition offsets are not needed: the real-time rendition has no B-frames, and the packager times by decode.
    optional(0x800);
    samples.push({ dataOffset, size, duration, flags: sampleFlags });
    dataOffset += size;
  }
  return samples;
}

function readDecodeTime(tfdt: Buffer | undefined): number {
  if (!tfdt) return 0;
  return tfdt[8] === 1 ? Number(tfdt.readBigUInt64BE(12)) : tfdt.readUInt32BE(12);
}

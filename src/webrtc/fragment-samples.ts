import { childBoxes, findBoxes } from '../packager/box-reader.js';
import type { TrackInfo } from '../packager/fragment-info.js';

/** One coded frame of a track, as a fragment's `trun` describes it and its `mdat` holds it. */
export interface Sample {
  readonly data: Buffer;
  /** In the track's timescale, from the fragment's `tfdt`. */
  readonly decodeTime: number;
  readonly duration: number;
  readonly sync: boolean;
}

/** sample_flags' sample_is_non_sync_sample bit. */
const NON_SYNC = 0x0001_0000;
/** tfhd flag: data offsets count from the start of the `moof`, not from a base_data_offset. */
const DEFAULT_BASE_IS_MOOF = 0x02_0000;

/**
 * The samples of one track in a fragment (`moof` + the `mdat` right after it), in decode order:
 * what a WebRTC sender packetizes frame by frame. ffmpeg's fragments (`default_base_moof`) put
 * each track's data offset relative to the `moof`, so the bytes are found in the `mdat` after it.
 *
 *   for (const sample of fragmentSamples(fragment.moof, fragment.mdat, videoTrack)) …
 */
export function fragmentSamples(moof: Buffer, mdat: Buffer, track: TrackInfo): Sample[] {
  const samples: Sample[] = [];
  for (const traf of findBoxes(moof, ['traf'])) {
    const tfhd = findBoxes(traf.data, ['tfhd'])[0]?.data;
    if (!tfhd || tfhd.readUInt32BE(12) !== track.id) continue;
    const header = readTfhd(tfhd, track);
    let decodeTime = readDecodeTime(findBoxes(traf.data, ['tfdt'])[0]?.data);
    for (const trun of findBoxes(traf.data, ['trun'])) {
      for (const entry of readTrun(trun.data, header)) {
        const start = entry.moofOffset - moof.length;
        if (start < 0 || start + entry.size > mdat.length) throw new Error(`track ${track.id}: a sample outside its mdat`);
        samples.push({ data: mdat.subarray(start, start + entry.size), decodeTime, duration: entry.duration, sync: (entry.flags & NON_SYNC) === 0 });
        decodeTime += entry.duration;
      }
    }
  }
  return samples;
}

interface TrackHeader {
  readonly duration: number;
  readonly size: number;
  readonly flags: number;
}

function readTfhd(tfhd: Buffer, track: TrackInfo): TrackHeader {
  const flags = tfhd.readUInt32BE(8) & 0xff_ffff;
  // A base_data_offset is an absolute file position, which a pipe does not have.
  if (flags & 0x01 || !(flags & DEFAULT_BASE_IS_MOOF)) throw new Error('a fragment without default-base-is-moof (write it with -movflags default_base_moof)');
  let offset = 16;
  if (flags & 0x02) offset += 4;
  const field = (present: boolean, fallback: number): number => {
    if (!present) return fallback;
    const value = tfhd.readUInt32BE(offset);
    offset += 4;
    return value;
  };
  const duration = field((flags & 0x08) !== 0, track.defaultDuration);
  const size = field((flags & 0x10) !== 0, 0);
  return { duration, size, flags: field((flags & 0x20) !== 0, track.defaultFlags) };
}

interface TrunEntry {
  readonly moofOffset: number;
  readonly size: number;
  readonly duration: number;
  readonly flags: number;
}

function readTrun(box: Buffer, header: TrackHeader): TrunEntry[] {
  const flags = box.readUInt32BE(8) & 0xff_ffff;
  const count = box.readUInt32BE(12);
  let offset = 16;
  let moofOffset = 0;
  if (flags & 0x01) {
    moofOffset = box.readInt32BE(offset);
    offset += 4;
  }
  let firstFlags: number | undefined;
  if (flags & 0x04) {
    firstFlags = box.readUInt32BE(offset);
    offset += 4;
  }
  const entries: TrunEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    const field = (bit: number, fallback: number): number => {
      if (!(flags & bit)) return fallback;
      const value = box.readUInt32BE(offset);
      offset += 4;
      return value;
    };
    const duration = field(0x100, header.duration);
    const size = field(0x200, header.size);
    const sampleFlags = field(0x400, index === 0 && firstFlags !== undefined ? firstFlags : header.flags);
    // Composition offsets are skipped: the real-time rendition is encoded without B-frames.
    field(0x800, 0);
    entries.push({ moofOffset, size, duration, flags: sampleFlags });
    moofOffset += size;
  }
  return entries;
}

function readDecodeTime(tfdt: Buffer | undefined): number {
  if (!tfdt) return 0;
  return tfdt[8] === 1 ? Number(tfdt.readBigUInt64BE(12)) : tfdt.readUInt32BE(12);
}

/** Size of a VisualSampleEntry's fields before its child boxes (ISO/IEC 14496-12 §12.1.3). */
const VISUAL_SAMPLE_ENTRY_HEADER = 8 + 78;

/**
 * The `avcC` record (AVCDecoderConfigurationRecord, without its box header) of an init
 * segment's H.264 track: the SPS/PPS and NAL length size a packetizer needs.
 *
 *   parseAvcDecoderConfigurationRecord(avcConfiguration(fragment.init, track.id))
 */
export function avcConfiguration(init: Buffer, trackId: number): Buffer {
  const moov = childBoxes(init, 0).find((box) => box.type === 'moov');
  for (const trak of moov ? findBoxes(moov.data, ['trak']) : []) {
    const tkhd = findBoxes(trak.data, ['tkhd'])[0]?.data;
    if (!tkhd || tkhd.readUInt32BE(tkhd[8] === 1 ? 28 : 20) !== trackId) continue;
    const stsd = findBoxes(trak.data, ['mdia', 'minf', 'stbl', 'stsd'])[0]?.data;
    // stsd is a full box with an entry count before its sample entries.
    const entry = stsd ? childBoxes(stsd, 16).find((box) => box.type === 'avc1' || box.type === 'avc3') : undefined;
    const avcC = entry ? childBoxes(entry.data, VISUAL_SAMPLE_ENTRY_HEADER).find((box) => box.type === 'avcC') : undefined;
    if (avcC) return avcC.data.subarray(8);
  }
  throw new Error(`no H.264 (avcC) configuration for track ${trackId} in the init segment`);
}

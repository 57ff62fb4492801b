import { childBoxes, findBoxes } from '../packager/box-reader.js';
import type { TrackInfo } from '../packager/fragment-info.js';
import { NON_SYNC, readTrackFragment } from '../packager/track-run.js';

/** One coded frame of a track, as a fragment's `trun` describes it and its `mdat` holds it. */
export interface Sample {
  readonly data: Buffer;
  /** In the track's timescale, from the fragment's `tfdt`. */
  readonly decodeTime: number;
  readonly duration: number;
  readonly sync: boolean;
}

/**
 * The samples of one track in a fragment (`moof` + the `mdat` right after it), in decode order:
 * what a WebRTC sender packetizes frame by frame. ffmpeg's fragments (`default_base_moof`) put
 * each track's data offset relative to the `moof`, so the bytes are found in the `mdat` after it.
 *
 *   for (const sample of fragmentSamples(fragment.moof, fragment.mdat, videoTrack)) …
 */
export function fragmentSamples(moof: Buffer, mdat: Buffer, track: TrackInfo): Sample[] {
  const run = readTrackFragment(moof, track);
  if (!run) return [];
  // A base_data_offset is an absolute file position, which a pipe does not have.
  if (run.absoluteOffsets || !run.baseIsMoof) throw new Error('a fragment without default-base-is-moof (write it with -movflags default_base_moof)');
  let decodeTime = run.decodeTime;
  return run.samples.map((entry) => {
    const start = entry.dataOffset - moof.length;
    if (start < 0 || start + entry.size > mdat.length) throw new Error(`track ${track.id}: a sample outside its mdat`);
    const sample = { data: mdat.subarray(start, start + entry.size), decodeTime, duration: entry.duration, sync: (entry.flags & NON_SYNC) === 0 };
    decodeTime += entry.duration;
    return sample;
  });
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

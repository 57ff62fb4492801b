import { childBoxes, findBoxes, type Box } from './box-reader.js';

/** What the fragments of one fMP4 need from its init segment, per track. */
export interface TrackInfo {
  readonly id: number;
  readonly timescale: number;
  readonly kind: 'video' | 'audio' | 'other';
  readonly defaultDuration: number;
  readonly defaultFlags: number;
}

export interface FragmentInfo {
  /** The media time the fragment covers, in seconds, of its main track (the picture when there is one). */
  readonly durationSeconds: number;
  /** Where it starts on the main track's timeline (tfdt), in seconds. */
  readonly startSeconds: number;
  /** Its main track starts with a sync sample: a decoder can start here. */
  readonly independent: boolean;
}

/** sample_flags' sample_is_non_sync_sample bit. */
const NON_SYNC = 0x0001_0000;

/**
 * The tracks of an init segment (`ftyp` + `moov`), the picture first: the main track of
 * every fragment is the first one.
 *
 *   const tracks = parseInit(Buffer.concat([ftyp.data, moov.data]));
 */
export function parseInit(init: Buffer): TrackInfo[] {
  const moov = childBoxes(init, 0).find((box) => box.type === 'moov');
  if (!moov) throw new Error('an init segment without moov');
  const trex = new Map(findBoxes(moov.data, ['mvex', 'trex']).map((box) => [box.data.readUInt32BE(12), box.data] as const));
  const tracks = findBoxes(moov.data, ['trak']).map((trak): TrackInfo => {
    const tkhd = only(findBoxes(trak.data, ['tkhd']), 'tkhd');
    const mdhd = only(findBoxes(trak.data, ['mdia', 'mdhd']), 'mdhd');
    const hdlr = only(findBoxes(trak.data, ['mdia', 'hdlr']), 'hdlr');
    const id = tkhd.readUInt32BE(tkhd[8] === 1 ? 28 : 20);
    const handler = hdlr.toString('latin1', 16, 20);
    const defaults = trex.get(id);
    return {
      id,
      timescale: mdhd.readUInt32BE(mdhd[8] === 1 ? 28 : 20),
      kind: handler === 'vide' ? 'video' : handler === 'soun' ? 'audio' : 'other',
      defaultDuration: defaults?.readUInt32BE(20) ?? 0,
      defaultFlags: defaults?.readUInt32BE(28) ?? 0,
    };
  });
  return [...tracks.filter((track) => track.kind === 'video'), ...tracks.filter((track) => track.kind !== 'video')];
}

/**
 * A fragment's duration and whether it starts on a keyframe, from its `moof`
 * (`traf/tfhd`, `tfdt`, `trun`), for the main track of `tracks` (the first one present).
 *
 *   const { durationSeconds, independent } = parseFragment(moof.data, tracks);
 */
export function parseFragment(moof: Buffer, tracks: readonly TrackInfo[]): FragmentInfo {
  const trafs = findBoxes(moof, ['traf']).map((traf) => ({ traf, tfhd: only(findBoxes(traf.data, ['tfhd']), 'tfhd') }));
  // The main track when the fragment has it; a fragment of sound alone (before the first picture) is timed by its sound.
  for (const track of tracks) {
    const found = trafs.find((entry) => entry.tfhd.readUInt32BE(12) === track.id);
    if (!found) continue;
    const defaults = trackDefaults(found.tfhd, track);
    let duration = 0;
    let firstFlags: number | undefined;
    for (const trun of findBoxes(found.traf.data, ['trun'])) {
      const run = readTrun(trun, defaults);
      duration += run.duration;
      firstFlags ??= run.firstFlags;
    }
    return {
      durationSeconds: duration / track.timescale,
      startSeconds: decodeTime(findBoxes(found.traf.data, ['tfdt'])[0]) / track.timescale,
      independent: track === tracks[0] && firstFlags !== undefined && (firstFlags & NON_SYNC) === 0,
    };
  }
  throw new Error('a fragment of none of the init segment\'s tracks');
}

interface Defaults {
  readonly duration: number;
  readonly flags: number;
}

function trackDefaults(tfhd: Buffer, track: TrackInfo): Defaults {
  const flags = tfhd.readUInt32BE(8) & 0xff_ffff;
  let offset = 16;
  if (flags & 0x01) offset += 8;
  if (flags & 0x02) offset += 4;
  const duration = flags & 0x08 ? tfhd.readUInt32BE(offset) : track.defaultDuration;
  if (flags & 0x08) offset += 4;
  if (flags & 0x10) offset += 4;
  return { duration, flags: flags & 0x20 ? tfhd.readUInt32BE(offset) : track.defaultFlags };
}

function readTrun(trun: Box, defaults: Defaults): { duration: number; firstFlags: number | undefined } {
  const box = trun.data;
  const flags = box.readUInt32BE(8) & 0xff_ffff;
  const count = box.readUInt32BE(12);
  let offset = 16;
  if (flags & 0x01) offset += 4;
  let firstFlags: number | undefined;
  if (flags & 0x04) {
    firstFlags = box.readUInt32BE(offset);
    offset += 4;
  }
  let duration = 0;
  for (let index = 0; index < count; index += 1) {
    if (flags & 0x100) {
      duration += box.readUInt32BE(offset);
      offset += 4;
    } else {
      duration += defaults.duration;
    }
    if (flags & 0x200) offset += 4;
    if (flags & 0x400) {
      if (index === 0) firstFlags ??= box.readUInt32BE(offset);
      offset += 4;
    }
    if (flags & 0x800) offset += 4;
  }
  return { duration, firstFlags: count === 0 ? undefined : (firstFlags ?? defaults.flags) };
}

function decodeTime(tfdt: Box | undefined): number {
  if (!tfdt) return 0;
  return tfdt.data[8] === 1 ? Number(tfdt.data.readBigUInt64BE(12)) : tfdt.data.readUInt32BE(12);
}

function only(boxes: readonly Box[], type: string): Buffer {
  const box = boxes[0];
  if (!box) throw new Error(`an init segment without ${type}`);
  return box.data;
}

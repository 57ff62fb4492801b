import { childBoxes, findBoxes, type Box } from './box-reader.js';
import { NON_SYNC, readTrackFragment } from './track-run.js';

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
  // The main track when the fragment has it; a fragment of sound alone (before the first picture) is timed by its sound.
  for (const track of tracks) {
    const run = readTrackFragment(moof, track);
    if (!run) continue;
    const first = run.samples[0];
    return {
      durationSeconds: run.samples.reduce((sum, sample) => sum + sample.duration, 0) / track.timescale,
      startSeconds: run.decodeTime / track.timescale,
      independent: track === tracks[0] && first !== undefined && (first.flags & NON_SYNC) === 0,
    };
  }
  throw new Error('a fragment of none of the init segment\'s tracks');
}

function only(boxes: readonly Box[], type: string): Buffer {
  const box = boxes[0];
  if (!box) throw new Error(`an init segment without ${type}`);
  return box.data;
}

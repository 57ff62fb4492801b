import type { Readable } from 'node:stream';
import { BoxReader } from './box-reader.js';
import { parseFragment, parseInit, type FragmentInfo, type TrackInfo } from './fragment-info.js';

export interface InitSegment {
  readonly kind: 'init';
  /** `ftyp` + `moov`. */
  readonly init: Buffer;
  readonly tracks: readonly TrackInfo[];
}

export interface Fragment {
  readonly kind: 'fragment';
  readonly init: InitSegment;
  readonly moof: Buffer;
  readonly mdat: Buffer;
  readonly info: FragmentInfo;
}

/**
 * The init segment, then each fragment, of the fragmented MP4 ffmpeg writes on a pipe, as they
 * arrive. Reading is paced by the consumer: ffmpeg waits while a fragment is being written out.
 *
 *   for await (const item of readFragments(ffmpeg.outputs[0])) if (item.kind === 'fragment') …
 */
export async function* readFragments(output: Readable): AsyncGenerator<InitSegment | Fragment> {
  const reader = new BoxReader();
  const header: Buffer[] = [];
  let init: InitSegment | undefined;
  let moof: Buffer | undefined;
  for await (const chunk of output as AsyncIterable<Buffer>) {
    for (const box of reader.push(chunk)) {
      if (box.type === 'ftyp' || box.type === 'moov') header.push(box.data);
      if (box.type === 'moov') {
        const bytes = Buffer.concat(header);
        init = { kind: 'init', init: bytes, tracks: parseInit(bytes) };
        yield init;
      } else if (box.type === 'moof') {
        moof = box.data;
      } else if (box.type === 'mdat' && init && moof) {
        yield { kind: 'fragment', init, moof, mdat: box.data, info: parseFragment(moof, init.tracks) };
        moof = undefined;
      }
    }
  }
}

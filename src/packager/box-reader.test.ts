import { describe, expect, it } from 'vitest';
import { BoxReader, childBoxes, findBoxes } from './box-reader.js';

function box(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
}

describe('BoxReader', () => {
  it('gives each top-level box once all of it has arrived, however the stream is split', () => {
    const stream = Buffer.concat([box('ftyp', Buffer.from('isom')), box('moof', box('traf', Buffer.alloc(3))), box('mdat', Buffer.alloc(100))]);
    for (const step of [1, 3, 7, 50, stream.length]) {
      const reader = new BoxReader();
      const types: string[] = [];
      for (let offset = 0; offset < stream.length; offset += step) {
        for (const found of reader.push(stream.subarray(offset, offset + step))) types.push(found.type);
      }
      expect(types, `chunks of ${step}`).toEqual(['ftyp', 'moof', 'mdat']);
      expect(reader.buffered).toBe(0);
    }
  });

  it('keeps a box cut off mid-way, and refuses a size smaller than its header', () => {
    const reader = new BoxReader();
    expect(reader.push(box('mdat', Buffer.alloc(20)).subarray(0, 15))).toEqual([]);
    expect(reader.buffered).toBe(15);
    expect(() => new BoxReader().push(Buffer.from([0, 0, 0, 4, 0x6d, 0x6f, 0x6f, 0x66]))).toThrow(/malformed/);
  });

  it('finds boxes nested in containers', () => {
    const moof = box('moof', Buffer.concat([box('mfhd', Buffer.alloc(8)), box('traf', box('tfhd', Buffer.alloc(8))), box('traf', box('tfhd', Buffer.alloc(4)))]));
    expect(childBoxes(moof).map((found) => found.type)).toEqual(['mfhd', 'traf', 'traf']);
    expect(findBoxes(moof, ['traf', 'tfhd']).map((found) => found.data.length)).toEqual([16, 12]);
  });
});

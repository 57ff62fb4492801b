import { describe, expect, it } from 'vitest';
import { ChunkReader } from './chunk-reader.js';
import { ChunkWriter } from './chunk-writer.js';
import { MessageType, type RtmpMessage } from './messages.js';

function roundTrip(writer: ChunkWriter, ...sent: RtmpMessage[]): RtmpMessage[] {
  const received: RtmpMessage[] = [];
  const reader = new ChunkReader({ maxMessageSize: 1 << 20, onMessage: (message) => received.push(message) });
  if (writer.chunkSize !== 128) {
    const size = Buffer.alloc(4);
    size.writeUInt32BE(writer.chunkSize, 0);
    reader.push(new ChunkWriter().encode({ csid: 2, type: MessageType.SetChunkSize, streamId: 0, timestamp: 0, payload: size }));
  }
  for (const message of sent) reader.push(writer.encode(message));
  return received;
}

describe('ChunkWriter', () => {
  it('writes the spec layout: fmt 0 header, little-endian stream id, fmt 3 continuations', () => {
    const payload = Buffer.alloc(130, 0xaa);
    const out = new ChunkWriter().encode({ csid: 3, type: MessageType.CommandAmf0, streamId: 1, timestamp: 0x010203, payload });
    expect(out.subarray(0, 12).toString('hex')).toBe('03' + '010203' + '000082' + '14' + '01000000');
    expect(out[12 + 128]).toBe(0xc3);
    expect(out.length).toBe(12 + 128 + 1 + 2);
  });

  it('writes the extended timestamp on the first chunk and on every continuation', () => {
    const out = new ChunkWriter().encode({ csid: 4, type: MessageType.Audio, streamId: 1, timestamp: 0x01000000, payload: Buffer.alloc(129) });
    expect(out.subarray(1, 4).toString('hex')).toBe('ffffff');
    expect(out.subarray(12, 16).toString('hex')).toBe('01000000');
    expect(out.subarray(16 + 128, 16 + 128 + 5).toString('hex')).toBe('c401000000');
  });

  it('round-trips through ChunkReader at any chunk size and chunk stream id', () => {
    for (const chunkSize of [1, 128, 4096]) {
      const writer = new ChunkWriter();
      writer.chunkSize = chunkSize;
      const sent: RtmpMessage[] = [2, 63, 64, 319, 320, 65599].map((csid, index) => ({
        csid,
        type: MessageType.Video,
        streamId: index,
        timestamp: index % 2 === 0 ? index * 1000 : 0xffffff + index,
        payload: Buffer.alloc(300 * index, index),
      }));
      expect(roundTrip(writer, ...sent), `chunk size ${chunkSize}`).toEqual(sent);
    }
  });

  it('refuses chunk stream ids the basic header cannot hold', () => {
    const message = { type: MessageType.Audio, streamId: 0, timestamp: 0, payload: Buffer.alloc(1) };
    expect(() => new ChunkWriter().encode({ ...message, csid: 1 })).toThrow(RangeError);
    expect(() => new ChunkWriter().encode({ ...message, csid: 65600 })).toThrow(RangeError);
  });
});

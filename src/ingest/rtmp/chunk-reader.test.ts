import { describe, expect, it } from 'vitest';
import { ChunkProtocolError, ChunkReader } from './chunk-reader.js';
import { MessageType, type RtmpMessage } from './messages.js';

interface ChunkFields {
  readonly fmt: 0 | 1 | 2 | 3;
  readonly csid: number;
  /** Absolute (fmt 0) or delta (fmt 1/2); ignored for fmt 3. */
  readonly timestamp?: number;
  readonly length?: number;
  readonly type?: number;
  readonly streamId?: number;
  /** Writes 0xffffff in the header and this value as the 4-byte extended timestamp. */
  readonly extended?: number;
}

/** One chunk, byte for byte as the spec lays it out, so the reader is tested against the spec and not against our writer. */
function chunk(fields: ChunkFields, payload: Buffer = Buffer.alloc(0)): Buffer {
  const { fmt, csid } = fields;
  const basic =
    csid < 64 ? [(fmt << 6) | csid] : csid < 320 ? [fmt << 6, csid - 64] : [(fmt << 6) | 1, (csid - 64) & 0xff, (csid - 64) >> 8];
  const header = Buffer.alloc([11, 7, 3, 0][fmt] ?? 0);
  const timestampField = fields.extended === undefined ? (fields.timestamp ?? 0) : 0xffffff;
  if (fmt <= 2) header.writeUIntBE(timestampField, 0, 3);
  if (fmt <= 1) {
    header.writeUIntBE(fields.length ?? payload.length, 3, 3);
    header.writeUInt8(fields.type ?? MessageType.Video, 6);
  }
  if (fmt === 0) header.writeUInt32LE(fields.streamId ?? 1, 7);
  const extended = Buffer.alloc(fields.extended === undefined ? 0 : 4);
  if (fields.extended !== undefined) extended.writeUInt32BE(fields.extended, 0);
  return Buffer.concat([Buffer.from(basic), header, extended, payload]);
}

function bytes(length: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, index) => (index * 7 + seed) & 0xff));
}

function reader(maxMessageSize = 1 << 20): { reader: ChunkReader; messages: RtmpMessage[] } {
  const messages: RtmpMessage[] = [];
  return { reader: new ChunkReader({ maxMessageSize, onMessage: (message) => messages.push(message) }), messages };
}

function read(...chunks: Buffer[]): RtmpMessage[] {
  const { reader: chunkReader, messages } = reader();
  chunkReader.push(Buffer.concat(chunks));
  return messages;
}

function setChunkSize(size: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(size, 0);
  return chunk({ fmt: 0, csid: 2, type: MessageType.SetChunkSize, streamId: 0 }, payload);
}

describe('ChunkReader', () => {
  it('reads a one-chunk message with its fmt 0 header fields (stream id little-endian)', () => {
    const payload = bytes(50, 1);
    const [message] = read(chunk({ fmt: 0, csid: 4, timestamp: 1234, type: MessageType.Audio, streamId: 0x01020304 }, payload));
    expect(message).toEqual({ csid: 4, type: MessageType.Audio, streamId: 0x01020304, timestamp: 1234, payload });
  });

  it('reassembles a message split into 128-byte chunks with fmt 3 continuations', () => {
    const payload = bytes(300, 2);
    const [message] = read(
      chunk({ fmt: 0, csid: 6, timestamp: 40, length: 300 }, payload.subarray(0, 128)),
      chunk({ fmt: 3, csid: 6 }, payload.subarray(128, 256)),
      chunk({ fmt: 3, csid: 6 }, payload.subarray(256)),
    );
    expect(message?.payload).toEqual(payload);
    expect(message?.timestamp).toBe(40);
  });

  it('reassembles interleaved chunk streams independently', () => {
    const audio = bytes(200, 3);
    const video = bytes(300, 4);
    const messages = read(
      chunk({ fmt: 0, csid: 4, timestamp: 10, type: MessageType.Audio, length: 200 }, audio.subarray(0, 128)),
      chunk({ fmt: 0, csid: 6, timestamp: 20, type: MessageType.Video, length: 300 }, video.subarray(0, 128)),
      chunk({ fmt: 3, csid: 6 }, video.subarray(128, 256)),
      chunk({ fmt: 3, csid: 4 }, audio.subarray(128)),
      chunk({ fmt: 3, csid: 6 }, video.subarray(256)),
    );
    expect(messages.map((message) => [message.csid, message.type, message.timestamp])).toEqual([
      [4, MessageType.Audio, 10],
      [6, MessageType.Video, 20],
    ]);
    expect(messages[0]?.payload).toEqual(audio);
    expect(messages[1]?.payload).toEqual(video);
  });

  it('applies fmt 1 and fmt 2 deltas, and repeats the last delta for a new message in fmt 3', () => {
    const messages = read(
      chunk({ fmt: 0, csid: 5, timestamp: 1000, type: MessageType.Video }, bytes(10, 0)),
      chunk({ fmt: 1, csid: 5, timestamp: 33, type: MessageType.Audio }, bytes(20, 1)),
      chunk({ fmt: 2, csid: 5, timestamp: 34 }, bytes(20, 2)),
      chunk({ fmt: 3, csid: 5 }, bytes(20, 3)),
    );
    expect(messages.map((message) => [message.type, message.timestamp, message.payload.length, message.streamId])).toEqual([
      [MessageType.Video, 1000, 10, 1],
      [MessageType.Audio, 1033, 20, 1],
      [MessageType.Audio, 1067, 20, 1],
      [MessageType.Audio, 1101, 20, 1],
    ]);
  });

  it('adds a fmt 0 timestamp again for a new fmt 3 message, as ffmpeg and GStreamer write it', () => {
    const messages = read(
      chunk({ fmt: 0, csid: 4, timestamp: 33, type: MessageType.Audio }, bytes(8, 0)),
      chunk({ fmt: 3, csid: 4 }, bytes(8, 1)),
    );
    expect(messages.map((message) => message.timestamp)).toEqual([33, 66]);
  });

  it('reads extended timestamps on fmt 0 and on its fmt 3 continuation chunks', () => {
    const payload = bytes(200, 5);
    const [message] = read(
      chunk({ fmt: 0, csid: 6, extended: 0x12345678, length: 200 }, payload.subarray(0, 128)),
      chunk({ fmt: 3, csid: 6, extended: 0x12345678 }, payload.subarray(128)),
    );
    expect(message?.timestamp).toBe(0x12345678);
    expect(message?.payload).toEqual(payload);
  });

  it('reads fmt 3 continuations that leave the extended timestamp out', () => {
    const payload = bytes(200, 6);
    const [message] = read(
      chunk({ fmt: 0, csid: 6, extended: 0x01000000, length: 200 }, payload.subarray(0, 128)),
      chunk({ fmt: 3, csid: 6 }, payload.subarray(128)),
    );
    expect(message?.payload).toEqual(payload);
  });

  it('reads extended deltas and wraps timestamps at 2^32', () => {
    const messages = read(
      chunk({ fmt: 0, csid: 4, extended: 0xfffffff0, type: MessageType.Audio }, bytes(4, 0)),
      chunk({ fmt: 2, csid: 4, timestamp: 0x20 }, bytes(4, 1)),
      chunk({ fmt: 2, csid: 4, extended: 0x01000000 }, bytes(4, 2)),
      chunk({ fmt: 3, csid: 4, extended: 0x01000000 }, bytes(4, 3)),
    );
    expect(messages.map((message) => message.timestamp)).toEqual([0xfffffff0, 0x10, 0x01000010, 0x02000010]);
  });

  it('honours Set Chunk Size from the next chunk on, and does not pass it on', () => {
    const payload = bytes(5000, 7);
    const messages = read(
      setChunkSize(4096),
      chunk({ fmt: 0, csid: 6, length: 5000 }, payload.subarray(0, 4096)),
      chunk({ fmt: 3, csid: 6 }, payload.subarray(4096)),
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.payload).toEqual(payload);
  });

  it('drops the partial message of an aborted chunk stream', () => {
    const abort = Buffer.alloc(4);
    abort.writeUInt32BE(6, 0);
    const next = bytes(10, 9);
    const messages = read(
      chunk({ fmt: 0, csid: 6, length: 300 }, bytes(128, 8)),
      chunk({ fmt: 0, csid: 2, type: MessageType.Abort, streamId: 0 }, abort),
      chunk({ fmt: 0, csid: 6, timestamp: 5 }, next),
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.payload).toEqual(next);
  });

  it('delivers zero-length messages', () => {
    const [message] = read(chunk({ fmt: 0, csid: 3, type: MessageType.CommandAmf0 }));
    expect(message?.payload.length).toBe(0);
  });

  it('reads two- and three-byte chunk stream ids', () => {
    const messages = read(chunk({ fmt: 0, csid: 64 }, bytes(3, 0)), chunk({ fmt: 0, csid: 319 }, bytes(3, 1)), chunk({ fmt: 0, csid: 65599 }, bytes(3, 2)));
    expect(messages.map((message) => message.csid)).toEqual([64, 319, 65599]);
  });

  it('refuses a message over the size limit from its header, before its payload arrives', () => {
    const { reader: chunkReader } = reader(1000);
    expect(() => chunkReader.push(chunk({ fmt: 0, csid: 6, length: 1001 }))).toThrow(ChunkProtocolError);
  });

  it('refuses a chunk stream that starts without a full header, and Set Chunk Size 0', () => {
    expect(() => read(chunk({ fmt: 1, csid: 9, length: 4 }, bytes(4, 0)))).toThrow(ChunkProtocolError);
    expect(() => read(setChunkSize(0))).toThrow(/Set Chunk Size of 0/);
  });

  it('reads past skipped message types without storing them, whatever their size', () => {
    const messages: RtmpMessage[] = [];
    const chunkReader = new ChunkReader({
      maxMessageSize: 100,
      onMessage: (message) => messages.push(message),
      skip: (type) => type === MessageType.Video,
    });
    const big = bytes(300, 1);
    chunkReader.push(Buffer.concat([
      chunk({ fmt: 0, csid: 6, length: 300 }, big.subarray(0, 128)),
      chunk({ fmt: 0, csid: 3, type: MessageType.CommandAmf0 }, bytes(20, 2)),
      chunk({ fmt: 3, csid: 6 }, big.subarray(128, 256)),
      chunk({ fmt: 3, csid: 6 }, big.subarray(256)),
    ]));
    expect(messages.map((message) => message.type)).toEqual([MessageType.CommandAmf0]);
  });

  it('bounds what messages in reassembly on many chunk streams add up to', () => {
    const { reader: chunkReader } = reader(1000);
    // Each announces 900 bytes and sends one 128-byte chunk: the third would make 2700 > 2 × 1000.
    chunkReader.push(chunk({ fmt: 0, csid: 4, length: 900 }, bytes(128, 0)));
    chunkReader.push(chunk({ fmt: 0, csid: 5, length: 900 }, bytes(128, 0)));
    expect(() => chunkReader.push(chunk({ fmt: 0, csid: 6, length: 900 }, bytes(128, 0)))).toThrow(/reassembly/);
  });

  it('frees a chunk stream’s share of that bound when its message completes or is aborted', () => {
    const { reader: chunkReader, messages } = reader(1000);
    for (let round = 0; round < 5; round += 1) {
      chunkReader.push(chunk({ fmt: 0, csid: 4, length: 900 }, bytes(128, 0)));
      const abort = Buffer.alloc(4);
      abort.writeUInt32BE(4, 0);
      chunkReader.push(chunk({ fmt: 0, csid: 2, type: MessageType.Abort, streamId: 0 }, abort));
      chunkReader.push(chunk({ fmt: 0, csid: 5, length: 900 }, bytes(900, 0).subarray(0, 128)));
      for (let sent = 128; sent < 900; sent += 128) chunkReader.push(chunk({ fmt: 3, csid: 5 }, bytes(900, 0).subarray(sent, sent + 128)));
    }
    expect(messages).toHaveLength(5);
  });

  it('takes a raised size limit from the next message on', () => {
    const { reader: chunkReader } = reader(100);
    expect(() => chunkReader.push(chunk({ fmt: 0, csid: 4 }, bytes(120, 0)))).toThrow(ChunkProtocolError);
    const { reader: raised, messages } = reader(100);
    raised.maxMessageSize = 200;
    raised.push(chunk({ fmt: 0, csid: 4 }, bytes(120, 0)));
    expect(messages).toHaveLength(1);
  });

  it('delivers nothing more once stopped', () => {
    const { reader: chunkReader, messages } = reader();
    chunkReader.push(chunk({ fmt: 0, csid: 4 }, bytes(4, 0)));
    chunkReader.stop();
    chunkReader.push(chunk({ fmt: 0, csid: 4 }, bytes(4, 1)));
    expect(messages).toHaveLength(1);
  });
});

describe('ChunkReader with fragmented input', () => {
  // A stream with a bit of everything: multi-chunk messages, interleaving, every fmt,
  // extended timestamps, a chunk size change and multi-byte chunk stream ids.
  const stream = Buffer.concat([
    chunk({ fmt: 0, csid: 3, type: MessageType.CommandAmf0, streamId: 0 }, bytes(40, 1)),
    chunk({ fmt: 0, csid: 4, timestamp: 0, type: MessageType.Audio, length: 150 }, bytes(150, 2).subarray(0, 128)),
    chunk({ fmt: 0, csid: 70, extended: 0x01000000, type: MessageType.Video, length: 260 }, bytes(260, 3).subarray(0, 128)),
    chunk({ fmt: 3, csid: 4 }, bytes(150, 2).subarray(128)),
    chunk({ fmt: 3, csid: 70, extended: 0x01000000 }, bytes(260, 3).subarray(128, 256)),
    chunk({ fmt: 3, csid: 70, extended: 0x01000000 }, bytes(260, 3).subarray(256)),
    setChunkSize(200),
    chunk({ fmt: 1, csid: 4, timestamp: 21, type: MessageType.Audio, length: 300 }, bytes(300, 4).subarray(0, 200)),
    chunk({ fmt: 3, csid: 4 }, bytes(300, 4).subarray(200)),
    chunk({ fmt: 2, csid: 4, timestamp: 22 }, bytes(300, 5).subarray(0, 200)),
    chunk({ fmt: 3, csid: 4 }, bytes(300, 5).subarray(200)),
    chunk({ fmt: 0, csid: 400, timestamp: 7, type: MessageType.DataAmf0 }, bytes(10, 6)),
  ]);
  const expected = read(stream);

  it('reads the reference stream whole', () => {
    expect(expected.map((message) => [message.csid, message.type, message.timestamp, message.payload.length])).toEqual([
      [3, MessageType.CommandAmf0, 0, 40],
      [4, MessageType.Audio, 0, 150],
      [70, MessageType.Video, 0x01000000, 260],
      [4, MessageType.Audio, 21, 300],
      [4, MessageType.Audio, 43, 300],
      [400, MessageType.DataAmf0, 7, 10],
    ]);
  });

  it('reads the same messages when split in two at every byte', () => {
    for (let split = 0; split <= stream.length; split += 1) {
      const { reader: chunkReader, messages } = reader();
      chunkReader.push(stream.subarray(0, split));
      chunkReader.push(stream.subarray(split));
      expect(messages, `split at ${split}`).toEqual(expected);
    }
  });

  it('reads the same messages fed one byte at a time', () => {
    const { reader: chunkReader, messages } = reader();
    for (let index = 0; index < stream.length; index += 1) chunkReader.push(stream.subarray(index, index + 1));
    expect(messages).toEqual(expected);
  });
});

describe('ChunkReader memory', () => {
  it('reads past a huge skipped message as its bytes arrive, holding none of them', () => {
    const messages: RtmpMessage[] = [];
    const chunkReader = new ChunkReader({
      maxMessageSize: 64 * 1024,
      onMessage: (message) => messages.push(message),
      skip: (type) => type === MessageType.Video,
    });
    const length = 15 * 1024 * 1024;
    // One chunk carries the whole message: the old reader waited for all of it in its queue.
    chunkReader.push(setChunkSize(0x7fffffff));
    chunkReader.push(chunk({ fmt: 0, csid: 6, length }));
    const piece = Buffer.alloc(1 << 20);
    for (let sent = 0; sent < length; sent += piece.length) {
      chunkReader.push(piece);
      expect(chunkReader.bufferedBytes).toBe(0);
    }
    chunkReader.push(chunk({ fmt: 0, csid: 3, type: MessageType.CommandAmf0, streamId: 0 }, bytes(20, 1)));
    expect(messages.map((message) => message.type)).toEqual([MessageType.CommandAmf0]);
  });

  it('grows a kept message as its bytes arrive instead of allocating the length its header announces', () => {
    const { reader: chunkReader, messages } = reader(16 * 1024 * 1024);
    const payload = bytes(10 * 1024 * 1024, 3);
    chunkReader.push(setChunkSize(4096));
    chunkReader.push(chunk({ fmt: 0, csid: 6, length: payload.length }, payload.subarray(0, 4096)));
    expect(chunkReader.bufferedBytes).toBeLessThanOrEqual(64 * 1024);
    for (let sent = 4096; sent < payload.length; sent += 4096) {
      chunkReader.push(chunk({ fmt: 3, csid: 6 }, payload.subarray(sent, sent + 4096)));
      // What is held follows what has arrived (at most twice it, as the buffer doubles).
      if (sent + 4096 < payload.length) expect(chunkReader.bufferedBytes).toBeLessThanOrEqual(2 * (sent + 4096) + 64 * 1024);
    }
    expect(messages).toHaveLength(1);
    expect(messages[0]?.payload.equals(payload)).toBe(true);
    expect(chunkReader.bufferedBytes).toBe(0);
  });

  it('keeps no unparsed input between pushes but a partial header', () => {
    const { reader: chunkReader, messages } = reader();
    const whole = chunk({ fmt: 0, csid: 6, length: 100 }, bytes(100, 4));
    chunkReader.push(whole.subarray(0, 5));
    expect(chunkReader.bufferedBytes).toBe(5);
    chunkReader.push(whole.subarray(5, 60));
    expect(chunkReader.bufferedBytes).toBe(100); // the message's own buffer: small ones get their length at once
    chunkReader.push(whole.subarray(60));
    expect(messages[0]?.payload).toEqual(bytes(100, 4));
    expect(chunkReader.bufferedBytes).toBe(0);
  });
});

import type { RtmpMessage } from './messages.js';

/**
 * Splits outgoing messages into chunks: a full (fmt 0) header on the first chunk and
 * fmt 3 on the rest, so the peer needs no state from earlier messages to read ours.
 * The server sends little (control messages and command answers), so simplicity wins
 * over the bytes fmt 1/2 headers would save.
 *
 *   const writer = new ChunkWriter();
 *   socket.write(writer.encode(message));
 *   writer.chunkSize = 4096;   // after sending Set Chunk Size 4096
 */
export class ChunkWriter {
  chunkSize = 128;

  encode(message: RtmpMessage): Buffer {
    const { csid, payload } = message;
    if (csid < 2 || csid > 65599) throw new RangeError(`chunk stream id ${csid} is outside 2–65599`);
    const timestamp = message.timestamp >>> 0;
    const extended = timestamp >= 0xffffff;
    const basic = basicHeader(csid);
    const chunks = Math.max(1, Math.ceil(payload.length / this.chunkSize));
    const continuationHeader = basic.length + (extended ? 4 : 0);
    const out = Buffer.allocUnsafe(basic.length + 11 + (extended ? 4 : 0) + (chunks - 1) * continuationHeader + payload.length);

    let offset = basic.copy(out, 0);
    out.writeUIntBE(extended ? 0xffffff : timestamp, offset, 3);
    out.writeUIntBE(payload.length, offset + 3, 3);
    out.writeUInt8(message.type, offset + 6);
    out.writeUInt32LE(message.streamId, offset + 7); // the one little-endian field in RTMP
    offset += 11;
    if (extended) offset = out.writeUInt32BE(timestamp, offset);

    for (let start = 0; start < payload.length; start += this.chunkSize) {
      if (start > 0) {
        offset += basic.copy(out, offset);
        out[offset - basic.length] = (basic[0] ?? 0) | 0xc0; // fmt 3
        if (extended) offset = out.writeUInt32BE(timestamp, offset);
      }
      offset += payload.copy(out, offset, start, Math.min(start + this.chunkSize, payload.length));
    }
    return out;
  }
}

/** fmt 0 basic header: one byte for ids 2–63, two for 64–319, three for 320–65599. */
function basicHeader(csid: number): Buffer {
  if (csid < 64) return Buffer.from([csid]);
  if (csid < 320) return Buffer.from([0, csid - 64]);
  return Buffer.from([1, (csid - 64) & 0xff, (csid - 64) >> 8]);
}

/**
 * FLV byte stream writing (Adobe FLV spec, "FLV File Format"): the file header and one
 * tag per audio, video or script message. RTMP media payloads are FLV tag bodies already,
 * so a tag is an 11-byte header, the payload untouched, and the 4-byte back pointer.
 *
 *   out.push(encodeFlvHeader());
 *   out.push(encodeFlvTag(FlvTagType.Video, message.timestamp, message.payload));
 */
export const FlvTagType = {
  Audio: 8,
  Video: 9,
  Script: 18,
} as const;

export type FlvTagTypeId = (typeof FlvTagType)[keyof typeof FlvTagType];

const TAG_HEADER_SIZE = 11;

/**
 * "FLV", version 1, both audio and video flagged (the publisher has not said yet which it
 * sends; demuxers create streams from the tags they meet), and PreviousTagSize0.
 */
export function encodeFlvHeader(media: { readonly video: boolean } = { video: true }): Buffer {
  // Flags: audio (4) and video (1). ffmpeg waits (probing for seconds) for a stream the header announces.
  const flags = media.video ? 0x05 : 0x04;
  return Buffer.from([0x46, 0x4c, 0x56, 0x01, flags, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00]);
}

/** One tag, as a single buffer (one copy of the payload; no growing concatenation). */
export function encodeFlvTag(type: FlvTagTypeId, timestamp: number, data: Buffer): Buffer {
  if (data.length > 0xffffff) throw new RangeError(`an FLV tag holds at most 16 MiB; got ${data.length} bytes`);
  const out = Buffer.allocUnsafe(TAG_HEADER_SIZE + data.length + 4);
  const ms = timestamp >>> 0;
  out.writeUInt8(type, 0);
  out.writeUIntBE(data.length, 1, 3);
  out.writeUIntBE(ms & 0xffffff, 4, 3); // lower 24 bits
  out.writeUInt8(ms >>> 24, 7); // TimestampExtended: the upper 8 bits
  out.writeUIntBE(0, 8, 3); // StreamID, always 0
  data.copy(out, TAG_HEADER_SIZE);
  out.writeUInt32BE(TAG_HEADER_SIZE + data.length, TAG_HEADER_SIZE + data.length);
  return out;
}

/**
 * The script tag body for an RTMP data message, or null for data that is not stream
 * metadata. Publishers send `@setDataFrame, onMetaData, {…}`; an FLV file holds
 * `onMetaData, {…}`. The AMF bytes are sliced, not re-encoded, so nothing is lost.
 */
export function scriptTagBody(payload: Buffer): Buffer | null {
  const first = readShortString(payload, 0);
  if (first === null) return null;
  if (first.value === 'onMetaData') return payload;
  if (first.value !== '@setDataFrame') return null;
  const second = readShortString(payload, first.end);
  return second?.value === 'onMetaData' ? payload.subarray(first.end) : null;
}

function readShortString(payload: Buffer, offset: number): { value: string; end: number } | null {
  if (payload.length < offset + 3 || payload[offset] !== 0x02) return null;
  const end = offset + 3 + payload.readUInt16BE(offset + 1);
  if (end > payload.length) return null;
  return { value: payload.toString('utf8', offset + 3, end), end };
}

export interface FlvTag {
  readonly type: number;
  readonly timestamp: number;
  readonly data: Buffer;
}

/**
 * The tags inside an RTMP Aggregate message (type 22): FLV tags with back pointers, whose
 * timestamps are shifted so the first lands on the aggregate message's own timestamp.
 */
export function aggregateTags(payload: Buffer, timestamp: number): FlvTag[] {
  const tags: FlvTag[] = [];
  let offset = 0;
  let base: number | null = null;
  while (offset + TAG_HEADER_SIZE <= payload.length) {
    const size = payload.readUIntBE(offset + 1, 3);
    const end = offset + TAG_HEADER_SIZE + size;
    if (end > payload.length) break;
    const own = ((payload[offset + 7] ?? 0) * 0x1000000 + payload.readUIntBE(offset + 4, 3)) >>> 0;
    base ??= own;
    tags.push({
      type: payload[offset] ?? 0,
      timestamp: (timestamp + own - base) >>> 0,
      data: payload.subarray(offset + TAG_HEADER_SIZE, end),
    });
    offset = end + 4;
  }
  return tags;
}

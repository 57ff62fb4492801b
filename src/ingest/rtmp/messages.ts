/**
 * RTMP message type ids (RTMP 1.0 spec §5.4, §6, §7) and the protocol control and
 * user control messages the server sends.
 *
 *   writer.write({ csid: CONTROL_CSID, type: MessageType.SetChunkSize, streamId: 0, timestamp: 0,
 *                  payload: uint32Payload(4096) });
 */
export const MessageType = {
  SetChunkSize: 1,
  Abort: 2,
  Acknowledgement: 3,
  UserControl: 4,
  WindowAckSize: 5,
  SetPeerBandwidth: 6,
  Audio: 8,
  Video: 9,
  DataAmf3: 15,
  SharedObjectAmf3: 16,
  CommandAmf3: 17,
  DataAmf0: 18,
  SharedObjectAmf0: 19,
  CommandAmf0: 20,
  Aggregate: 22,
} as const;

export const UserControlEvent = {
  StreamBegin: 0,
  StreamEof: 1,
  PingRequest: 6,
  PingResponse: 7,
} as const;

/** One reassembled RTMP message. */
export interface RtmpMessage {
  /** The chunk stream it arrived on (or is sent on). */
  readonly csid: number;
  readonly type: number;
  /** The message stream id: 0 for the NetConnection, the createStream answer for a NetStream. */
  readonly streamId: number;
  /** Milliseconds, 32-bit, wrapping. */
  readonly timestamp: number;
  readonly payload: Buffer;
}

/** Chunk stream ids the server writes on: 2 is reserved for protocol control messages. */
export const CONTROL_CSID = 2;
export const COMMAND_CSID = 3;

export function uint32Payload(value: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

export function controlMessage(type: number, payload: Buffer): RtmpMessage {
  return { csid: CONTROL_CSID, type, streamId: 0, timestamp: 0, payload };
}

/** Set Peer Bandwidth; limit type 2 is "dynamic", what servers send after connect. */
export function setPeerBandwidth(windowSize: number): RtmpMessage {
  const payload = Buffer.allocUnsafe(5);
  payload.writeUInt32BE(windowSize, 0);
  payload[4] = 2;
  return controlMessage(MessageType.SetPeerBandwidth, payload);
}

export function userControl(event: number, value: number): RtmpMessage {
  const payload = Buffer.allocUnsafe(6);
  payload.writeUInt16BE(event, 0);
  payload.writeUInt32BE(value >>> 0, 2);
  return controlMessage(MessageType.UserControl, payload);
}

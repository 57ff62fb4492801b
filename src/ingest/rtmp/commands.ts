import { decodeAmf0, encodeAmf0, type Amf0Object, type Amf0Value } from './amf0.js';
import { COMMAND_CSID, MessageType, type RtmpMessage } from './messages.js';

/**
 * NetConnection / NetStream command messages (RTMP 1.0 spec §7.2): reading what the
 * publisher asks and writing the answers it waits for.
 *
 *   const command = readCommand(message);          // { name: 'connect', transactionId: 1, … }
 *   connection.send(resultMessage(1, CONNECT_PROPERTIES, connectSuccess()));
 */
export interface Command {
  readonly name: string;
  readonly transactionId: number;
  /** The command object (null for most NetStream commands). */
  readonly object: Amf0Value;
  /** The arguments after the command object, e.g. publish's stream name and type. */
  readonly args: readonly Amf0Value[];
}

/** null when the message is not a well-formed command. Throws `Amf0Error` on bad AMF. */
export function readCommand(message: RtmpMessage): Command | null {
  // An AMF3 command message starts with a format byte; its body is AMF0 all the same
  // for the commands a publisher sends.
  const body = message.type === MessageType.CommandAmf3 ? message.payload.subarray(1) : message.payload;
  const [name, transactionId, object = null, ...args] = decodeAmf0(body);
  if (typeof name !== 'string') return null;
  return { name, transactionId: typeof transactionId === 'number' ? transactionId : 0, object, args };
}

export function commandMessage(streamId: number, ...values: Amf0Value[]): RtmpMessage {
  return { csid: COMMAND_CSID, type: MessageType.CommandAmf0, streamId, timestamp: 0, payload: encodeAmf0(...values) };
}

export function resultMessage(transactionId: number, ...values: Amf0Value[]): RtmpMessage {
  return commandMessage(0, '_result', transactionId, ...values);
}

/** What FMS answered; encoders only check that the properties are there. */
export const CONNECT_PROPERTIES: Amf0Object = { fmsVer: 'FMS/3,5,7,7009', capabilities: 31, mode: 1 };

export function connectSuccess(): Amf0Object {
  return {
    level: 'status',
    code: 'NetConnection.Connect.Success',
    description: 'Connection succeeded.',
    objectEncoding: 0,
  };
}

export type StatusLevel = 'status' | 'error';

/** onStatus on a NetStream: transaction 0, no command object, then the info object. */
export function onStatusMessage(streamId: number, level: StatusLevel, code: string, description: string): RtmpMessage {
  return commandMessage(streamId, 'onStatus', 0, null, { level, code, description });
}

/** Flash Media Live Encoder's extension; OBS and ffmpeg send FCPublish and accept this answer. */
export function onFcPublishMessage(): RtmpMessage {
  return commandMessage(0, 'onFCPublish', 0, null, { code: 'NetStream.Publish.Start', description: 'FCPublish' });
}

import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { redactStreamKey } from '../../protocol/stream-key.js';
import { Amf0Error, amf0Properties, type Amf0Value } from './amf0.js';
import {
  CONNECT_PROPERTIES,
  connectSuccess,
  onFcPublishMessage,
  onStatusMessage,
  readCommand,
  resultMessage,
  type Command,
} from './commands.js';
import { RtmpConnection, type ConnectionEnd, type ConnectionLimits } from './connection.js';
import { FlvTagType, aggregateTags, scriptTagBody } from './flv.js';
import { MessageType, UserControlEvent, controlMessage, setPeerBandwidth, uint32Payload, userControl, type RtmpMessage } from './messages.js';
import { RtmpPublishSession } from './publish-session.js';

export type AuthorizeResult = { ok: true; streamId: string } | { ok: false; reason: string };

/** Why a publish ended: the publisher said so, its connection dropped or went silent, it broke the protocol, our side closed it. */
export type UnpublishReason = 'unpublished' | 'disconnected' | 'timeout' | 'protocol-error' | 'closed' | 'server-closing';

/** What a session needs from the server: the key check, and whoever takes the media. */
export interface SessionHost {
  authorize(key: string, remoteAddress: string): Promise<AuthorizeResult>;
  /** Takes the publish; false while the stream has another publisher. */
  claim(publish: RtmpPublishSession): boolean;
  /** Called once per claimed publish. */
  unpublished(publish: RtmpPublishSession, reason: UnpublishReason): void;
}

/** The only application: OBS's "Server" is rtmp://host:port/live. */
const APP = 'live';
/** One NetStream per connection is all a publisher needs. */
const NET_STREAM_ID = 1;
const WINDOW_ACK_SIZE = 2_500_000;
const OUT_CHUNK_SIZE = 4096;

/**
 * One publisher's connection, from `connect` to the end of its publish: answers the
 * NetConnection and NetStream commands, checks the stream key on `publish` before any
 * media is accepted, and feeds audio, video and metadata to the accepted publish.
 *
 *   const session = new RtmpSession(socket, limits, host, logger);
 *   session.close('server-closing');
 */
export class RtmpSession {
  private readonly connection: RtmpConnection;
  private readonly logger: Logger;
  private state: 'open' | 'authorizing' | 'publishing' | 'closed' = 'open';
  private app: string | null = null;
  private publish: RtmpPublishSession | null = null;
  private warnedEarlyMedia = false;

  constructor(
    socket: Socket,
    limits: ConnectionLimits,
    private readonly host: SessionHost,
    logger: Logger,
  ) {
    this.connection = new RtmpConnection(socket, limits, {
      onMessage: (message) => this.handle(message),
      onClose: (end, error) => this.onConnectionEnd(end, error),
    });
    this.logger = logger.child({ remoteAddress: this.connection.remoteAddress });
    this.logger.debug('rtmp connection');
  }

  /** A publish is accepted and live on this connection. */
  get publishing(): boolean {
    return this.state === 'publishing';
  }

  /** Ends the publish, if any, and the connection: gracefully for 'closed', at once for 'server-closing'. */
  close(reason: 'closed' | 'server-closing'): void {
    this.finish(reason);
    // Also when the publish had already ended: a refused publisher may still be lingering.
    if (reason === 'server-closing') this.connection.destroy();
    else this.connection.close();
  }

  private handle(message: RtmpMessage): void {
    switch (message.type) {
      case MessageType.CommandAmf0:
      case MessageType.CommandAmf3:
        return this.command(message);
      case MessageType.DataAmf0:
      case MessageType.DataAmf3:
        return this.data(message.type === MessageType.DataAmf3 ? message.payload.subarray(1) : message.payload);
      case MessageType.Audio:
      case MessageType.Video:
        return this.media(message.type, message.timestamp, message.payload);
      case MessageType.Aggregate:
        for (const tag of aggregateTags(message.payload, message.timestamp)) {
          if (tag.type === FlvTagType.Script) this.data(tag.data);
          else this.media(tag.type, tag.timestamp, tag.data);
        }
        return;
      default:
        return; // shared objects and the like: nothing a publisher needs from us
    }
  }

  private command(message: RtmpMessage): void {
    let command: Command | null;
    try {
      command = readCommand(message);
    } catch (error) {
      if (!(error instanceof Amf0Error)) throw error;
      return this.protocolError(error);
    }
    if (!command) return;
    const { name, transactionId } = command;
    switch (name) {
      case 'connect':
        return this.connect(command);
      case 'releaseStream':
        // Transaction 0 means "no answer expected"; GStreamer warns about an unasked-for _result.
        if (transactionId > 0) this.connection.send(resultMessage(transactionId, null, undefined));
        return;
      case 'FCPublish':
        this.connection.send(onFcPublishMessage());
        if (transactionId > 0) this.connection.send(resultMessage(transactionId, null, undefined));
        return;
      case 'createStream':
        return this.connection.send(resultMessage(transactionId, null, NET_STREAM_ID));
      case 'publish':
        this.startPublish(message.streamId, command.args[0]).catch((error: unknown) => {
          this.logger.error({ err: error }, 'rtmp publish failed');
          this.close('closed');
        });
        return;
      case 'FCUnpublish':
      case 'deleteStream':
      case 'closeStream':
        // The publisher hangs up next; hanging up first makes GStreamer report an error.
        if (this.state === 'authorizing' || this.state === 'publishing') {
          this.finish('unpublished');
          this.connection.endMedia();
        }
        return;
      default:
        this.logger.debug({ command: name }, 'rtmp command ignored');
    }
  }

  private connect(command: Command): void {
    if (this.app !== null) return;
    const requested = amf0Properties(command.object)?.['app'];
    const app = typeof requested === 'string' ? requested : '';
    // "live/" (a trailing slash in OBS's Server field) and "live?token" name the same app.
    this.app = app.split('?')[0]?.replace(/\/+$/, '') ?? '';
    this.connection.send(controlMessage(MessageType.WindowAckSize, uint32Payload(WINDOW_ACK_SIZE)));
    this.connection.send(setPeerBandwidth(WINDOW_ACK_SIZE));
    this.connection.setChunkSize(OUT_CHUNK_SIZE);
    this.connection.send(resultMessage(command.transactionId, CONNECT_PROPERTIES, connectSuccess()));
  }

  private async startPublish(netStreamId: number, name: Amf0Value): Promise<void> {
    if (this.state !== 'open') return; // one publish per connection
    if (this.app === null) return this.refuse(netStreamId, 'BadName', '', 'connect before publish');
    if (this.app !== APP) return this.refuse(netStreamId, 'BadName', '', `unknown application: publish to rtmp://host:port/${APP}`);
    // nginx-rtmp too reads "key?args" as the name "key".
    const key = typeof name === 'string' ? (name.split('?')[0] ?? '') : '';
    if (key === '') return this.refuse(netStreamId, 'BadName', '', 'no stream key: put your stream key in the encoder');

    this.state = 'authorizing';
    let result: AuthorizeResult;
    try {
      result = await this.host.authorize(key, this.connection.remoteAddress);
    } catch (error) {
      this.logger.error({ err: error, key: redactStreamKey(key) }, 'rtmp authorize failed');
      result = { ok: false, reason: 'the stream key could not be checked; try again' };
    }
    if (this.state !== 'authorizing') return; // the publisher left, or unpublished, while we waited
    if (!result.ok) return this.refuse(netStreamId, 'Unauthorized', key, result.reason);

    const publish = new RtmpPublishSession(result.streamId, this.connection.remoteAddress, {
      close: () => this.close('closed'),
      pause: () => this.connection.pause(),
      resume: () => this.connection.resume(),
    });
    if (!this.host.claim(publish)) return this.refuse(netStreamId, 'BadName', key, 'already publishing');
    this.publish = publish;
    this.state = 'publishing';
    this.connection.acceptMedia();
    this.connection.send(userControl(UserControlEvent.StreamBegin, netStreamId));
    this.connection.send(onStatusMessage(netStreamId, 'status', 'NetStream.Publish.Start', 'Publishing.'));
    this.logger.info({ streamId: publish.streamId }, 'rtmp publish started');
  }

  /** Tells the publisher why (its encoder shows the description), then hangs up. */
  private refuse(netStreamId: number, code: 'BadName' | 'Unauthorized', key: string, reason: string): void {
    this.logger.warn({ key: redactStreamKey(key), code: `NetStream.Publish.${code}`, reason }, 'rtmp publish refused');
    this.connection.send(onStatusMessage(netStreamId, 'error', `NetStream.Publish.${code}`, reason));
    this.state = 'closed';
    this.connection.close();
  }

  private data(payload: Buffer): void {
    if (!this.publish) return;
    const body = scriptTagBody(payload);
    if (!body) return;
    try {
      this.publish.metadata(body);
    } catch (error) {
      if (!(error instanceof Amf0Error)) throw error;
      this.logger.warn({ streamId: this.publish.streamId, err: error }, 'rtmp metadata dropped');
    }
  }

  private media(type: number, timestamp: number, payload: Buffer): void {
    if (!this.publish) {
      // The connection skips media before the publish is accepted; this is media after it ended.
      if (!this.warnedEarlyMedia) this.logger.debug('rtmp media outside a publish discarded');
      this.warnedEarlyMedia = true;
      return;
    }
    if (type === MessageType.Audio) this.publish.audio(timestamp, payload);
    else if (type === MessageType.Video) this.publish.video(timestamp, payload);
  }

  private protocolError(error: Error): void {
    this.logger.warn({ err: error }, 'rtmp protocol error');
    if (this.finish('protocol-error')) this.connection.destroy();
  }

  private onConnectionEnd(end: ConnectionEnd, error?: Error): void {
    if (end === 'protocol-error' || end === 'timeout') this.logger.warn({ err: error }, `rtmp connection ended: ${end}`);
    else this.logger.debug({ err: error }, `rtmp connection ended: ${end}`);
    this.finish(end);
  }

  /** Moves to closed and ends the publish, once; false when already closed. */
  private finish(reason: UnpublishReason): boolean {
    if (this.state === 'closed') return false;
    this.state = 'closed';
    const publish = this.publish;
    this.publish = null;
    if (publish) {
      publish.end();
      this.logger.info({ streamId: publish.streamId, reason, stats: publish.stats() }, 'rtmp publish ended');
      this.host.unpublished(publish, reason);
    }
    return true;
  }
}

import type { Socket } from 'node:net';
import { ChunkReader } from './chunk-reader.js';
import { ChunkWriter } from './chunk-writer.js';
import { Handshake } from './handshake.js';
import { MessageType, UserControlEvent, controlMessage, uint32Payload, userControl, type RtmpMessage } from './messages.js';

/**
 * One RTMP socket below the command level: the handshake, chunking both ways, bytes-read
 * acknowledgements, pings, timeouts and flow control. Commands, data and media go to
 * `onMessage`; the end of the socket, whatever caused it, goes to `onClose` once.
 *
 * Only a publish holds a connection open: without one accepted, the connection gets
 * `publishTimeoutMs` (from connecting, and again after its publish ends), however much it
 * sends; with one, it stays open while media keeps arriving. Pings and commands are no progress.
 *
 *   const connection = new RtmpConnection(socket, limits, { onMessage, onClose });
 *   connection.send(resultMessage(1, CONNECT_PROPERTIES, connectSuccess()));
 */
export interface ConnectionLimits {
  /** Largest message accepted, in bytes; a bigger one ends the connection. */
  readonly maxMessageSize: number;
  /** Time to complete the handshake and have a publish accepted, and to hang up after it ends. */
  readonly publishTimeoutMs: number;
  /** While publishing, time without media that ends the connection. */
  readonly idleTimeoutMs: number;
}

export type ConnectionEnd = 'disconnected' | 'timeout' | 'protocol-error' | 'closed';

export interface ConnectionEvents {
  onMessage(message: RtmpMessage): void;
  onClose(end: ConnectionEnd, error?: Error): void;
}

/** A refused publisher is given this long to read its onStatus and hang up before we cut it off. */
const LINGER_MS = 2000;
/**
 * Until its publish is accepted a peer has no reason to send more than commands, which
 * are small: this bounds what an unauthenticated connection can make us hold.
 */
const COMMAND_MESSAGE_LIMIT = 64 * 1024;
const MEDIA_TYPES: ReadonlySet<number> = new Set([MessageType.Audio, MessageType.Video, MessageType.Aggregate]);

export class RtmpConnection {
  readonly remoteAddress: string;
  private readonly handshake = new Handshake();
  private readonly reader: ChunkReader;
  private readonly writer = new ChunkWriter();
  private handshakeDone = false;
  /** Runs while no publish is accepted; ends the connection when it fires. */
  private deadline: NodeJS.Timeout | undefined;
  /** Runs while publishing and reading; media restarts it. */
  private idle: NodeJS.Timeout | undefined;
  private ended: ConnectionEnd | null = null;
  private endError: Error | undefined;
  /** Bytes received, modulo 2^32, as acknowledgements count them. */
  private bytesReceived = 0;
  private bytesAcknowledged = 0;
  /** Set by the peer's Window Acknowledgement Size; 0 until then (no acknowledgements owed). */
  private peerWindow = 0;
  private mediaAccepted = false;
  private paused = false;

  constructor(
    private readonly socket: Socket,
    private readonly limits: ConnectionLimits,
    private readonly events: ConnectionEvents,
  ) {
    this.remoteAddress = socket.remoteAddress ?? 'unknown';
    this.reader = new ChunkReader({
      maxMessageSize: Math.min(COMMAND_MESSAGE_LIMIT, limits.maxMessageSize),
      onMessage: (message) => this.receive(message),
      // Media before an accepted publish is read past, never stored.
      skip: (type) => !this.mediaAccepted && MEDIA_TYPES.has(type),
    });
    socket.setNoDelay(true);
    this.startDeadline(`no publish accepted within ${limits.publishTimeoutMs / 1000} s of connecting`);
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (error) => this.fail('disconnected', error));
    socket.on('close', () => this.closed());
  }

  send(message: RtmpMessage): void {
    if (this.ended === null && this.socket.writable) this.socket.write(this.writer.encode(message));
  }

  /** Announces a new outgoing chunk size and uses it from the next message on. */
  setChunkSize(size: number): void {
    this.send(controlMessage(MessageType.SetChunkSize, uint32Payload(size)));
    this.writer.chunkSize = size;
  }

  /** From now on media messages, up to the full message size limit, reach `onMessage`; the idle timeout replaces the deadline. */
  acceptMedia(): void {
    if (this.ended !== null) return;
    this.mediaAccepted = true;
    this.reader.maxMessageSize = this.limits.maxMessageSize;
    clearTimeout(this.deadline);
    this.startIdle();
  }

  /** The publish is over: media is read past again, and the peer has the publish timeout to hang up. */
  endMedia(): void {
    if (this.ended !== null || !this.mediaAccepted) return;
    this.mediaAccepted = false;
    this.reader.maxMessageSize = Math.min(COMMAND_MESSAGE_LIMIT, this.limits.maxMessageSize);
    clearTimeout(this.idle);
    this.startDeadline(`still connected ${this.limits.publishTimeoutMs / 1000} s after its publish ended`);
  }

  /** Stops reading (TCP pushes back on the publisher) while whoever reads the media is behind. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket.pause();
    clearTimeout(this.idle); // our reader is slow, not the publisher: silence is expected
  }

  resume(): void {
    if (!this.paused || this.ended !== null) return;
    this.paused = false;
    if (this.mediaAccepted) this.startIdle();
    this.socket.resume();
  }

  /** Sends what is queued, then closes; a peer that does not hang up is cut off after a moment. */
  close(): void {
    if (!this.end('closed')) return;
    this.socket.end();
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }

  /** Closes at once, e.g. on server shutdown. */
  destroy(): void {
    this.end('closed');
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    if (this.ended !== null) return;
    this.bytesReceived = (this.bytesReceived + data.length) >>> 0;
    try {
      if (this.handshakeDone) {
        this.reader.push(data);
      } else {
        const step = this.handshake.push(data);
        if (step.reply) this.socket.write(step.reply);
        if (step.done) {
          this.handshakeDone = true;
          this.reader.push(step.rest);
        }
      }
      this.acknowledge();
    } catch (error) {
      this.fail('protocol-error', error instanceof Error ? error : new Error(String(error)));
    }
  }

  private receive(message: RtmpMessage): void {
    if (this.mediaAccepted && !this.paused && message.payload.length > 0 && MEDIA_TYPES.has(message.type)) this.idle?.refresh();
    switch (message.type) {
      case MessageType.WindowAckSize:
        this.peerWindow = message.payload.length >= 4 ? message.payload.readUInt32BE(0) : 0;
        return;
      case MessageType.UserControl:
        if (message.payload.length >= 6 && message.payload.readUInt16BE(0) === UserControlEvent.PingRequest) {
          this.send(userControl(UserControlEvent.PingResponse, message.payload.readUInt32BE(2)));
        }
        return;
      case MessageType.Acknowledgement:
      case MessageType.SetPeerBandwidth:
        return; // about what we send: we send too little for them to matter
      default:
        this.events.onMessage(message);
    }
  }

  /** An Acknowledgement each time another window's worth of bytes has arrived (spec §5.4.3). */
  private acknowledge(): void {
    if (this.peerWindow === 0 || this.ended !== null) return;
    if (((this.bytesReceived - this.bytesAcknowledged) >>> 0) < this.peerWindow) return;
    this.bytesAcknowledged = this.bytesReceived;
    this.send(controlMessage(MessageType.Acknowledgement, uint32Payload(this.bytesReceived)));
  }

  private startDeadline(message: string): void {
    this.deadline = setTimeout(() => this.fail('timeout', new Error(message)), this.limits.publishTimeoutMs);
  }

  private startIdle(): void {
    clearTimeout(this.idle);
    const message = `no media from the publisher for ${this.limits.idleTimeoutMs / 1000} s`;
    this.idle = setTimeout(() => this.fail('timeout', new Error(message)), this.limits.idleTimeoutMs);
  }

  private fail(end: ConnectionEnd, error: Error): void {
    if (this.end(end, error)) this.socket.destroy();
  }

  /** Records why the connection ends; false when it had already ended. */
  private end(end: ConnectionEnd, error?: Error): boolean {
    if (this.ended !== null) return false;
    this.ended = end;
    this.endError = error;
    this.reader.stop();
    clearTimeout(this.deadline);
    clearTimeout(this.idle);
    return true;
  }

  private closed(): void {
    this.end('disconnected');
    this.events.onClose(this.ended ?? 'disconnected', this.endError);
  }
}

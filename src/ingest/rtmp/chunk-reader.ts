import { ByteQueue } from './byte-queue.js';
import { MessageType, type RtmpMessage } from './messages.js';

/**
 * Turns the chunk stream a peer sends after the handshake into whole messages (RTMP 1.0
 * spec §5.3): basic headers of fmt 0–3, extended timestamps, per-chunk-stream header
 * state, interleaved chunk streams, Set Chunk Size and Abort. Every other message,
 * protocol control included, goes to `onMessage`.
 *
 * A chunk's payload is consumed as its bytes arrive, so what the reader holds follows what
 * the peer has sent, never what its headers announce (a peer may set a 2 GiB chunk size).
 *
 *   const reader = new ChunkReader({ maxMessageSize: 16 << 20, onMessage: (m) => session.handle(m) });
 *   socket.on('data', (data) => reader.push(data));
 */
export interface ChunkReaderOptions {
  /**
   * A message header announcing more than this is a protocol error, before anything is
   * allocated. The lengths announced by messages in reassembly at once may total twice this.
   */
  readonly maxMessageSize: number;
  readonly onMessage: (message: RtmpMessage) => void;
  /** Messages of the types this answers true for are read past without being stored or delivered. */
  readonly skip?: (type: number) => boolean;
}

export class ChunkProtocolError extends Error {
  override name = 'ChunkProtocolError';
}

/** What a chunk stream remembers from its last header, so that fmt 1–3 can leave fields out. */
interface ChunkStreamState {
  type: number;
  length: number;
  streamId: number;
  /** Absolute timestamp of the current (or last) message. */
  timestamp: number;
  /** The last timestamp field: absolute after fmt 0, a delta after fmt 1/2; fmt 3 adds it again. */
  timestampField: number;
  /** The last fmt 0–2 header used an extended timestamp, so fmt 3 chunks carry one too. */
  extended: boolean;
  /**
   * The message being reassembled, grown as its bytes arrive (up to its announced length);
   * SKIPPED when not kept; null between messages.
   */
  payload: Buffer | null;
  received: number;
}

/** The chunk whose header has been read and whose payload is still arriving. */
interface OpenChunk {
  readonly csid: number;
  readonly state: ChunkStreamState;
  /** Payload bytes of this chunk not yet read. */
  remaining: number;
}

const SKIPPED = Buffer.alloc(0);

const MESSAGE_HEADER_LENGTH = [11, 7, 3, 0] as const;
const EXTENDED_TIMESTAMP = 0xffffff;
const DEFAULT_CHUNK_SIZE = 128;
/** A kept message's buffer starts at most this big and doubles as its bytes arrive. */
const FIRST_ALLOCATION = 64 * 1024;

export class ChunkReader {
  private readonly queue = new ByteQueue();
  private readonly streams = new Map<number, ChunkStreamState>();
  /** Starts as the option; raised once the peer may send large messages (after its publish is accepted). */
  maxMessageSize: number;
  private chunkSize = DEFAULT_CHUNK_SIZE;
  private stopped = false;
  private open: OpenChunk | null = null;
  /** Lengths announced by the kept messages still being reassembled, across chunk streams. */
  private pendingBytes = 0;

  constructor(private readonly options: ChunkReaderOptions) {
    this.maxMessageSize = options.maxMessageSize;
  }

  /** Bytes held: input not yet parsed (at most a partial chunk header) and messages in reassembly. */
  get bufferedBytes(): number {
    let total = this.queue.length;
    for (const state of this.streams.values()) if (state.payload && state.payload !== SKIPPED) total += state.payload.length;
    return total;
  }

  /** Parses all of `data`, delivering the messages it completes; throws `ChunkProtocolError` on a malformed stream. */
  push(data: Buffer): void {
    this.queue.push(data);
    while (!this.stopped && (this.open ? this.readPayload(this.open) : this.readHeader()));
  }

  /** Stops delivering messages, e.g. once the session is closing; queued bytes are dropped. */
  stop(): void {
    this.stopped = true;
  }

  /** Reads one chunk header if the queue holds all of it; false when more bytes are needed. */
  private readHeader(): boolean {
    const queue = this.queue;
    if (queue.length < 1) return false;
    const first = queue.byteAt(0);
    const fmt = first >> 6;
    const low = first & 0x3f;
    const basicLength = low === 0 ? 2 : low === 1 ? 3 : 1;
    let headerLength = basicLength + (MESSAGE_HEADER_LENGTH[fmt] ?? 0);
    if (queue.length < headerLength) return false;
    const header = queue.peek(headerLength);
    const csid = low === 0 ? 64 + (header[1] ?? 0) : low === 1 ? 64 + (header[1] ?? 0) + (header[2] ?? 0) * 256 : low;

    const previous = this.streams.get(csid);
    if (!previous && fmt !== 0) throw new ChunkProtocolError(`chunk stream ${csid} starts without a full (fmt 0) header`);
    const state: ChunkStreamState = previous ?? {
      type: 0, length: 0, streamId: 0, timestamp: 0, timestampField: 0, extended: false, payload: null, received: 0,
    };

    let { type, length, streamId, timestampField, extended } = state;
    if (fmt <= 2) {
      timestampField = header.readUIntBE(basicLength, 3);
      extended = timestampField === EXTENDED_TIMESTAMP;
    }
    if (fmt <= 1) {
      length = header.readUIntBE(basicLength + 3, 3);
      type = header.readUInt8(basicLength + 6);
    }
    if (fmt === 0) streamId = header.readUInt32LE(basicLength + 7);

    if (extended) {
      if (queue.length < headerLength + 4) return false;
      const value = queue.peek(headerLength + 4).readUInt32BE(headerLength);
      // Some encoders leave the extended timestamp out of fmt 3 chunks; like GStreamer,
      // take the four bytes as one only when they repeat the value it must have.
      if (fmt !== 3 || value === timestampField) {
        timestampField = value;
        headerLength += 4;
      }
    }

    const continuing = fmt === 3 && state.payload !== null;
    const skipped = continuing ? state.payload === SKIPPED : (this.options.skip?.(type) ?? false);
    if (!continuing && !skipped) this.checkSize(length, state);

    // The whole header is here: commit it to the chunk stream's state.
    queue.skip(headerLength);
    if (!continuing) {
      // A new header in the middle of a message replaces that message, as the spec's
      // state model implies; a well-behaved peer sends Abort first.
      this.release(state);
      state.timestamp = fmt === 0 ? timestampField : (state.timestamp + timestampField) >>> 0;
      state.payload = skipped ? SKIPPED : Buffer.alloc(0);
      state.received = 0;
      if (!skipped) this.pendingBytes += length;
    }
    Object.assign(state, { type, length, streamId, timestampField, extended });
    this.streams.set(csid, state);
    this.open = { csid, state, remaining: Math.min(this.chunkSize, length - state.received) };
    return true;
  }

  /** Reads what the queue holds of the open chunk's payload; false when more bytes are needed. */
  private readPayload(open: OpenChunk): boolean {
    const { state } = open;
    const take = Math.min(open.remaining, this.queue.length);
    if (state.payload !== SKIPPED) this.queue.copyTo(this.room(state, take), state.received, take);
    this.queue.skip(take);
    state.received += take;
    open.remaining -= take;
    if (open.remaining > 0) return false;
    this.open = null;
    if (state.received === state.length) {
      const kept = state.payload !== SKIPPED;
      const payload = state.payload ?? SKIPPED;
      this.release(state);
      if (kept) this.deliver({ csid: open.csid, type: state.type, streamId: state.streamId, timestamp: state.timestamp, payload });
    }
    return true;
  }

  /** The message's buffer with room for `count` more bytes, doubled (up to its announced length) when short. */
  private room(state: ChunkStreamState, count: number): Buffer {
    const current = state.payload ?? SKIPPED;
    const needed = state.received + count;
    if (needed <= current.length) return current;
    const grown = Buffer.allocUnsafe(Math.min(state.length, Math.max(needed, 2 * current.length, FIRST_ALLOCATION)));
    current.copy(grown, 0, 0, state.received);
    state.payload = grown;
    return grown;
  }

  /** Refuses, before allocating, a message too big alone or with those already in reassembly. */
  private checkSize(length: number, state: ChunkStreamState): void {
    if (length > this.maxMessageSize) {
      throw new ChunkProtocolError(`message of ${length} bytes is over the ${this.maxMessageSize}-byte limit`);
    }
    // Many chunk streams each announcing a big message must not add up to gigabytes.
    const replaced = state.payload && state.payload !== SKIPPED ? state.length : 0;
    if (this.pendingBytes - replaced + length > 2 * this.maxMessageSize) {
      throw new ChunkProtocolError('too many large messages in reassembly at once');
    }
  }

  /** Forgets the chunk stream's message in reassembly, if any. */
  private release(state: ChunkStreamState): void {
    if (state.payload && state.payload !== SKIPPED) this.pendingBytes -= state.length;
    state.payload = null;
  }

  private deliver(message: RtmpMessage): void {
    if (message.type === MessageType.SetChunkSize) {
      if (message.payload.length < 4) throw new ChunkProtocolError('Set Chunk Size without its 4-byte size');
      // The top bit must be zero (spec §5.4.1); mask it rather than read a negative size.
      const size = message.payload.readUInt32BE(0) & 0x7fffffff;
      if (size === 0) throw new ChunkProtocolError('Set Chunk Size of 0');
      this.chunkSize = size;
    } else if (message.type === MessageType.Abort) {
      if (message.payload.length < 4) throw new ChunkProtocolError('Abort without its 4-byte chunk stream id');
      const aborted = this.streams.get(message.payload.readUInt32BE(0));
      if (aborted) this.release(aborted);
    } else {
      this.options.onMessage(message);
    }
  }
}

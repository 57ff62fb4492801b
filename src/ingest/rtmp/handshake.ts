import { randomBytes } from 'node:crypto';
import { ByteQueue } from './byte-queue.js';

/**
 * The server side of the simple RTMP handshake (spec §5.2): read C0+C1, answer
 * S0+S1+S2 with S2 echoing C1, then read C2. ffmpeg, OBS and GStreamer accept it when
 * publishing; only players check the digest of the "complex" handshake.
 *
 *   const step = handshake.push(data);
 *   if (step.reply) socket.write(step.reply);
 *   if (step.done) chunkReader.push(step.rest);
 */
export interface HandshakeStep {
  /** Bytes to send to the peer, if this input completed C0+C1. */
  readonly reply: Buffer | null;
  readonly done: boolean;
  /** Input past C2 (the first chunks, when the peer did not wait); empty until done. */
  readonly rest: Buffer;
}

export class HandshakeError extends Error {
  override name = 'HandshakeError';
}

export const HANDSHAKE_SIZE = 1536;
const RTMP_VERSION = 3;

export class Handshake {
  private readonly queue = new ByteQueue();
  private stage: 'c0c1' | 'c2' | 'done' = 'c0c1';

  push(data: Buffer): HandshakeStep {
    if (this.stage === 'done') throw new HandshakeError('the handshake is already complete');
    this.queue.push(data);
    let reply: Buffer | null = null;
    if (this.stage === 'c0c1' && this.queue.length >= 1 + HANDSHAKE_SIZE) {
      const version = this.queue.read(1)[0] ?? 0;
      if (version !== RTMP_VERSION) {
        // 0x16 is a TLS ClientHello: an rtmps:// URL pointed at plain RTMP.
        const hint = version === 0x16 ? ' (TLS: use rtmp://, not rtmps://)' : '';
        throw new HandshakeError(`unsupported RTMP version ${version}${hint}`);
      }
      const c1 = this.queue.read(HANDSHAKE_SIZE);
      reply = Buffer.concat([Buffer.from([RTMP_VERSION]), serverS1(), c1]);
      this.stage = 'c2';
    }
    if (this.stage === 'c2' && this.queue.length >= HANDSHAKE_SIZE) {
      this.queue.skip(HANDSHAKE_SIZE); // C2 echoes S1; nothing in it matters to a server
      this.stage = 'done';
      return { reply, done: true, rest: this.queue.drain() };
    }
    return { reply, done: false, rest: Buffer.alloc(0) };
  }
}

/** S1: time 0, four zero bytes (the simple handshake's marker), then random filler. */
function serverS1(): Buffer {
  const s1 = randomBytes(HANDSHAKE_SIZE);
  s1.fill(0, 0, 8);
  return s1;
}

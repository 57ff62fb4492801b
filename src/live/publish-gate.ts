import type { KeyAttemptLimiter } from '../abuse/key-attempts.js';
import type { StreamService } from '../streams/stream-service.js';
import type { Stream } from '../streams/stream.js';

export type PublishRefusalCode = 'too_many_attempts' | 'stream_ended' | 'invalid_stream_key';

export type PublishCheck =
  | { readonly ok: true; readonly stream: Stream }
  | {
      readonly ok: false;
      readonly error: PublishRefusalCode;
      /** Shown to the streamer (in the encoder, or in nginx's log); never echoes the key. */
      readonly message: string;
      /** Seconds until the address may try again, when it is locked out. */
      readonly retryAfterSeconds?: number;
    };

/**
 * The one check every ingest runs before it accepts a publisher: the built-in RTMP server
 * and nginx's `on_publish` callback. An address that keeps sending wrong keys is locked out,
 * so keys cannot be guessed by brute force through either door.
 *
 *   const gate = new PublishGate(streams, new KeyAttemptLimiter({ maxFailures: 10, windowMs: 600_000 }));
 *   const result = await gate.check(streamKey, remoteAddress);
 *   if (!result.ok) refuse(result.message);
 */
export class PublishGate {
  constructor(
    private readonly streams: Pick<StreamService, 'authorizePublish'>,
    private readonly attempts: KeyAttemptLimiter,
  ) {}

  async check(key: string, address: string): Promise<PublishCheck> {
    const wait = this.attempts.lockedFor(address);
    if (wait > 0) {
      return {
        ok: false,
        error: 'too_many_attempts',
        message: `Too many wrong stream keys from this address; try again in ${wait} s.`,
        retryAfterSeconds: wait,
      };
    }
    const authorization = await this.streams.authorizePublish(key);
    if (authorization.ok) return authorization;
    if (authorization.reason === 'stream_ended') {
      return { ok: false, error: 'stream_ended', message: 'This stream has ended; create a new stream to get a new key.' };
    }
    this.attempts.recordFailure(address);
    return { ok: false, error: 'invalid_stream_key', message: 'Unknown stream key: copy the current key from your stream page into OBS.' };
  }
}

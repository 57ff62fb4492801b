import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ClientAddresses } from '../../abuse/client-address.js';
import type { KeyAttemptLimiter } from '../../streams/key-attempts.js';
import { StreamError } from '../../streams/errors.js';
import type { StreamService } from '../../streams/stream-service.js';
import { ApiError } from '../errors.js';

/**
 * nginx-rtmp's `on_publish` / `on_publish_done` callback (form fields `name`, `call`, `addr`),
 * and the same key check any other ingest can call. 2xx lets the publisher in; 403 drops it.
 *
 *   on_publish      http://127.0.0.1:8080/api/v1/streams/auth;
 *   on_publish_done http://127.0.0.1:8080/api/v1/streams/auth;
 *
 * Without a `call` field it only checks the key. With `call=publish` it also marks the
 * encoder connected, and `call=publish_done` marks it gone.
 */
const callbackSchema = z.object({
  name: z.string({ error: 'name (the stream key) is required' }).trim().min(1, 'name (the stream key) is required'),
  call: z.enum(['publish', 'publish_done'], { error: 'call must be publish or publish_done' }).optional(),
  addr: z.string().optional(),
});

export function publishCallbackRoutes(
  app: FastifyInstance,
  service: StreamService,
  attempts: KeyAttemptLimiter,
  addresses: ClientAddresses,
): void {
  app.post('/api/v1/streams/auth', async (request, reply) => {
    const input = callbackSchema.safeParse(request.body);
    // nginx-rtmp drops the publisher on any non-2xx; 403 is what a refused key answers.
    if (!input.success) {
      throw new ApiError(403, 'invalid_request', `Publish refused: ${input.error.issues[0]?.message ?? 'malformed callback'}.`);
    }
    const { name: streamKey, call, addr } = input.data;
    // Behind nginx every request comes from nginx itself and the encoder's address is `addr`;
    // from anyone else `addr` is ignored, or a caller could start a fresh lock-out count per guess.
    const client = addr && addresses.peerIsTrusted(request.raw) ? `${request.ip}|${addr}` : request.ip;
    const wait = attempts.lockedFor(client);
    if (wait > 0) {
      throw new ApiError(
        429,
        'too_many_attempts',
        `Too many wrong stream keys from this address; try again in ${wait} s.`,
        { 'retry-after': String(wait) },
      );
    }

    const authorization = await service.authorizePublish(streamKey);
    if (!authorization.ok) {
      if (authorization.reason === 'unknown_key') attempts.recordFailure(client);
      request.log.warn({ client, reason: authorization.reason }, 'publish refused');
      throw new ApiError(
        403,
        authorization.reason === 'stream_ended' ? 'stream_ended' : 'invalid_stream_key',
        authorization.reason === 'stream_ended'
          ? 'This stream has ended; create a new stream to get a new key.'
          : 'Unknown stream key: copy the current key from your stream page into OBS.',
      );
    }

    const { stream } = authorization;
    if (call === 'publish_done') {
      await service.encoderDisconnected(stream.id);
    } else if (call === 'publish') {
      await markConnected(service, stream.id);
    }
    request.log.info({ streamId: stream.id, call: call ?? 'check' }, 'publish allowed');
    return reply.code(200).send({ ok: true, stream_id: stream.id });
  });
}

/** nginx refuses a second publisher on the same name itself, so a repeated `publish` is not an error here. */
async function markConnected(service: StreamService, streamId: string): Promise<void> {
  try {
    await service.encoderConnected(streamId);
  } catch (error) {
    if (!(error instanceof StreamError && error.code === 'already_publishing')) throw error;
  }
}

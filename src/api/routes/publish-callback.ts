import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ClientAddresses } from '../../abuse/client-address.js';
import type { PublishGate } from '../../live/publish-gate.js';
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
 * encoder connected, and `call=publish_done` marks it gone. `?check_only=1` in the URL only
 * checks the key whatever `call` says: nginx-rtmp in front that pushes the media on to this
 * service's own RTMP ingest (deploy/nginx/ingest.conf.template), which reports the encoder itself.
 */
const callbackSchema = z.object({
  name: z.string({ error: 'name (the stream key) is required' }).trim().min(1, 'name (the stream key) is required'),
  call: z.enum(['publish', 'publish_done'], { error: 'call must be publish or publish_done' }).optional(),
  addr: z.string().optional(),
});
const callbackQuerySchema = z.object({ check_only: z.string().optional() }).loose();

export function publishCallbackRoutes(
  app: FastifyInstance,
  service: StreamService,
  gate: PublishGate,
  addresses: ClientAddresses,
): void {
  app.post('/api/v1/streams/auth', async (request, reply) => {
    const input = callbackSchema.safeParse(request.body);
    // nginx-rtmp drops the publisher on any non-2xx; 403 is what a refused key answers.
    if (!input.success) {
      throw new ApiError(403, 'invalid_request', `Publish refused: ${input.error.issues[0]?.message ?? 'malformed callback'}.`);
    }
    const { name: streamKey, addr } = input.data;
    const call = callbackQuerySchema.safeParse(request.query).data?.check_only === '1' ? undefined : input.data.call;
    // Behind nginx every request comes from nginx itself and the encoder's address is `addr`;
    // from anyone else `addr` is ignored, or a caller could start a fresh lock-out count per guess.
    const client = addr && addresses.peerIsTrusted(request.raw) ? `${request.ip}|${addr}` : request.ip;
    const check = await gate.check(streamKey, client);
    if (!check.ok) {
      if (check.retryAfterSeconds !== undefined) {
        throw new ApiError(429, check.error, check.message, { 'retry-after': String(check.retryAfterSeconds) });
      }
      request.log.warn({ client, reason: check.error }, 'publish refused');
      throw new ApiError(403, check.error, check.message);
    }

    const { stream } = check;
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

import type { FastifyInstance } from 'fastify';
import { streamIdParam } from '../api/routes/streams.js';
import type { Authenticator } from '../api/auth.js';
import { ApiError } from '../api/errors.js';
import { parseInput } from '../api/validation.js';
import { addDestinationSchema, DESTINATION_LIMITS, type DestinationsView, type DestinationView } from '../protocol/destinations.js';
import type { StreamService } from '../streams/stream-service.js';
import type { Destination, DestinationRepository } from './destination-repository.js';

interface RouteDependencies {
  readonly destinations: DestinationRepository;
  readonly streams: StreamService;
  readonly auth: Authenticator;
  readonly forwarding: {
    view(destination: Destination): DestinationView;
    added(destination: Destination): void;
    removed(streamId: string, destinationId: string): Promise<void>;
    retry(destination: Destination): void;
  };
}

const destinationNotFound = (id: string) =>
  new ApiError(404, 'destination_not_found', `No forwarding destination ${id} on this stream; reload the list of destinations.`);

/**
 * The owner's forwarding destinations (NIP-98, owner only):
 * `GET /api/v1/streams/<id>/destinations`, `POST` one (`{name, url, key}`; 201 with the key masked),
 * `DELETE …/destinations/<destination id>`, `POST …/destinations/<destination id>/retry`.
 */
export function destinationRoutes(app: FastifyInstance, deps: RouteDependencies): void {
  const owned = async (params: unknown, pubkey: string) => (await deps.streams.getOwned(streamIdParam(params), pubkey)).id;
  const destinationOf = async (streamId: string, params: unknown) => {
    const id = (params as { destination?: string }).destination ?? '';
    const destination = (await deps.destinations.list(streamId)).find((candidate) => candidate.id === id);
    if (!destination) throw destinationNotFound(id);
    return destination;
  };

  app.get('/api/v1/streams/:id/destinations', async (request): Promise<DestinationsView> => {
    const streamId = await owned(request.params, await deps.auth.required(request));
    return { destinations: (await deps.destinations.list(streamId)).map((destination) => deps.forwarding.view(destination)) };
  });

  app.post('/api/v1/streams/:id/destinations', async (request, reply) => {
    const streamId = await owned(request.params, await deps.auth.required(request));
    const input = parseInput(addDestinationSchema, request.body, 'destination');
    if ((await deps.destinations.count(streamId)) >= DESTINATION_LIMITS.perStream) {
      throw new ApiError(409, 'too_many_destinations', `A stream forwards to at most ${DESTINATION_LIMITS.perStream} destinations; remove one first.`);
    }
    const destination = await deps.destinations.add(streamId, input);
    // The URL's host only: the key is never logged.
    request.log.info({ streamId, destinationId: destination.id, host: new URL(destination.url).host }, 'forwarding destination added');
    deps.forwarding.added(destination);
    return reply.code(201).send(deps.forwarding.view(destination));
  });

  app.delete('/api/v1/streams/:id/destinations/:destination', async (request, reply) => {
    const streamId = await owned(request.params, await deps.auth.required(request));
    const destination = await destinationOf(streamId, request.params);
    await deps.forwarding.removed(streamId, destination.id);
    await deps.destinations.remove(streamId, destination.id);
    request.log.info({ streamId, destinationId: destination.id }, 'forwarding destination removed');
    return reply.code(204).send();
  });

  app.post('/api/v1/streams/:id/destinations/:destination/retry', async (request) => {
    const streamId = await owned(request.params, await deps.auth.required(request));
    const destination = await destinationOf(streamId, request.params);
    deps.forwarding.retry(destination);
    return deps.forwarding.view(destination);
  });
}

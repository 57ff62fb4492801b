import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import { WebSocketServer } from 'ws';
import type { UpgradeHandler } from '../api/upgrades.js';
import type { Component } from '../component.js';
import type { Database } from '../db/database.js';
import { unixNow } from '../protocol/time.js';
import { LocalEventBus, type EventBus } from './event-bus.js';
import { RelayConnection } from './connection.js';
import { RELAY_LIMITS, type WriteLimits } from './limits.js';
import { relayInformation } from './nip11.js';
import { CreatedAtPolicy } from './policies/created-at-policy.js';
import { ExpirationPolicy } from './policies/expiration-policy.js';
import { PolicyPipe } from './policies/policy.js';
import { SizePolicy } from './policies/size-policy.js';
import { TextPolicy } from './policies/text-policy.js';
import { AddressPolicy } from './policies/address-policy.js';
import { ChatModeration } from './moderation/chat-moderation.js';
import { WriteRatePolicy } from './policies/write-rate-policy.js';
import { ModerationPolicy } from './policies/moderation-policy.js';
import { PrivateStreamPolicy } from './policies/private-stream-policy.js';
import { ReportRatePolicy } from './policies/report-rate-policy.js';
import { StorageQuotaPolicy } from './policies/storage-quota-policy.js';
import { StreamChatPolicy } from './policies/stream-chat-policy.js';
import { OurCoordinates, type StreamDirectory } from './policies/stream-directory.js';
import { KIND } from '../protocol/kinds.js';
import type { NostrEvent } from '../protocol/nostr-event.js';
import type { NostrStore } from '../protocol/nostr-store.js';
import { RelayAuth } from './auth.js';
import { PrivateStreams, type StreamTokens } from './private-streams.js';
import { Relay, type Verdict } from './relay.js';
import { relayStore } from './relay-store.js';
import { SqlEventStore } from './store/sql-event-store.js';
import { WorkerVerifier } from './verify/worker-verifier.js';

export interface RelayServiceOptions {
  readonly database: Database;
  readonly servicePubkey: string;
  readonly version: string;
  readonly streams: StreamDirectory;
  /** A streamer-signed stream's author (its coordinate is `30311:<author>:<id>`); undefined: signed by the service. */
  readonly eventAuthors?: (streamId: string) => string | undefined;
  readonly logger: FastifyBaseLogger;
  readonly bus?: EventBus;
  readonly onVerdict?: (verdict: Verdict) => void;
  readonly rateLimits: WriteLimits;
  /** This relay's own URL (`ws(s)://host/`), which NIP-42 AUTH events must name. */
  readonly url: string;
  /** Playback tokens: a private stream's chat opens to an AUTH carrying one. */
  readonly tokens: StreamTokens;
}

/**
 * The built-in relay as a component of the service: NIP-01 over WebSocket on `/`, NIP-11
 * on `GET /` with `Accept: application/nostr+json`, events in the service's database.
 *
 *   const relay = await startRelayService(options);
 *   relay.routes(app);
 *   routeUpgrades(server, addresses, limiter, relay.upgrade);
 */
export interface RelayService extends Component {
  /** The relay for the service's own events (its live events): through every check a client's event passes. */
  readonly store: NostrStore;
  routes(app: FastifyInstance): void;
  /**
   * The relay's handler for `/`. Its `address` is the client as the per-address limits see it
   * (the shared `ClientAddresses` rule); the caller has already given it a WebSocket slot (`routeUpgrades`).
   */
  upgrade(path: string): UpgradeHandler | undefined;
  readonly connections: number;
  /** Every event the relay delivers: stored here or, with Redis, on any node. */
  onEvent(listener: (event: NostrEvent) => void): void;
  close(): Promise<void>;
}

export async function startRelayService(options: RelayServiceOptions): Promise<RelayService> {
  const verifier = await WorkerVerifier.start();
  if (verifier.ready.backend === 'native') options.logger.info({ backend: 'native' }, 'relay verifies signatures with native libsecp256k1');
  else options.logger.warn({ backend: 'wasm', reason: verifier.ready.fallback }, 'relay verifies signatures with WASM, about six times slower than native: npm run build:native');
  const bus = options.bus ?? new LocalEventBus();
  const store = new SqlEventStore(options.database.db);
  const ours = new OurCoordinates(options.servicePubkey, options.eventAuthors);
  const moderation = new ChatModeration(ours, store, options.streams);
  bus.onEvent((event) => void moderation.observe(event));
  const privacy = new PrivateStreams(ours, options.streams, options.tokens, options.logger);
  const auth = new RelayAuth(options.url, ours, options.tokens);
  const limits = options.rateLimits;
  const relay = new Relay({
    privacy,
    store,
    verifier,
    bus,
    ...(options.onVerdict && { onVerdict: options.onVerdict }),
    hide: (events, access) => moderation.hideRemoved(events, access),
    policy: new PolicyPipe([
      new SizePolicy(RELAY_LIMITS),
      new TextPolicy(),
      new AddressPolicy(RELAY_LIMITS),
      new CreatedAtPolicy({ lowerLimit: RELAY_LIMITS.createdAtLowerLimit, upperLimit: RELAY_LIMITS.createdAtUpperLimit }),
      new ExpirationPolicy(),
      // Before the chat and moderation rules, whose answers would tell a private stream exists.
      new PrivateStreamPolicy(ours, privacy, store),
      new StreamChatPolicy(ours, options.streams),
      new ModerationPolicy(ours, options.streams, moderation),
      new WriteRatePolicy({
        what: 'events',
        counts: () => true,
        perPubkey: limits.eventsPerPubkey,
        perAddress: limits.eventsPerAddress,
        servicePubkey: options.servicePubkey,
      }),
      new WriteRatePolicy({
        what: 'chat messages',
        counts: (event) => event.kind === KIND.liveChat || event.kind === KIND.reaction,
        perPubkey: limits.chatPerPubkey,
        perAddress: limits.chatPerAddress,
        servicePubkey: options.servicePubkey,
      }),
      new ReportRatePolicy(limits.reportsPerTarget),
      new StorageQuotaPolicy(store, limits.storagePerPubkey, options.servicePubkey),
    ]),
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: RELAY_LIMITS.maxFrameLength });

  const purge = setInterval(() => {
    store.purgeExpired(unixNow()).catch((error: unknown) => options.logger.warn({ err: error }, 'expired event purge failed'));
  }, 60_000);
  purge.unref();

  const information = relayInformation({ pubkey: options.servicePubkey, version: options.version, writes: limits });

  return {
    store: relayStore(relay),
    get connections() {
      return wss.clients.size;
    },
    onEvent: (listener) => bus.onEvent(listener),
    routes(app) {
      // NIP-11 is read cross-origin by web clients, which must be allowed (and preflight) by the NIP.
      const allowCrossOrigin = (reply: FastifyReply) =>
        reply
          .header('access-control-allow-origin', '*')
          .header('access-control-allow-headers', '*')
          .header('access-control-allow-methods', 'GET, OPTIONS');
      app.options('/', async (_request, reply) => allowCrossOrigin(reply).header('access-control-max-age', '86400').code(204).send());
      app.get('/', async (request, reply) => {
        allowCrossOrigin(reply);
        reply.header('vary', 'accept');
        if ((request.headers.accept ?? '').includes('application/nostr+json')) {
          return reply.type('application/nostr+json').send(information);
        }
        // Browsers get the web app; anything else a one-line pointer to what lives here.
        if ((request.headers.accept ?? '').includes('text/html')) return app.sendWebApp(reply);
        return reply
          .type('text/plain; charset=utf-8')
          .send('Wavlake Live. Nostr clients: connect a WebSocket to this address; NIP-11 with Accept: application/nostr+json.\n');
      });
    },
    upgrade(path) {
      if (path !== '/') return undefined;
      return (request, socket, head, address) =>
        wss.handleUpgrade(request, socket, head, (client) =>
          new RelayConnection(client, relay, options.logger, { address, auth, transport: socket }),
        );
    },
    async close() {
      clearInterval(purge);
      for (const client of wss.clients) client.close(1001, 'relay shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await verifier.close();
      await bus.close();
    },
  };
}

import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { createAuthenticator } from './api/auth.js';
import { buildHttpServer } from './api/server.js';
import type { Config } from './config/config.js';
import { VERSION } from './config/version.js';
import type { Database } from './db/database.js';
import { openDatabase } from './db/open.js';
import { loadOrCreateServiceKey, type ServiceKey } from './identity/service-key.js';
import { clientAddresses } from './abuse/client-address.js';
import { KeyAttemptLimiter } from './streams/key-attempts.js';
import { RtmpServer } from './ingest/rtmp/rtmp-server.js';
import { ConnectionLimiter } from './abuse/connection-limiter.js';
import { RedisEventBus } from './relay/redis-event-bus.js';
import { LivePipeline } from './live/live-pipeline.js';
import { StreamRepository } from './streams/stream-repository.js';
import { StreamService } from './streams/stream-service.js';
import type { Stream } from './streams/stream.js';
import { startRelayService, type RelayService } from './relay/relay-service.js';
import { routeUpgrades } from './api/upgrades.js';
import { PlayerReports } from './api/realtime/player-reports.js';
import { StreamFeed } from './api/realtime/stream-feed.js';
import { hlsRoutes } from './origin/hls-routes.js';
import { LocalSegmentStore } from './segments/local-segment-store.js';
import { playbackPaths } from './segments/playback-paths.js';
import { LiveEventPublisher } from './publisher/live-event-publisher.js';
import { RelayOutbox } from './publisher/relay-outbox.js';
import { PlaybackLinks } from './origin/playback-links.js';
import { PlaybackTokens } from './origin/playback-token.js';
import { StreamCache } from './origin/stream-cache.js';
import { ViewerCountReporter } from './origin/viewer-count-reporter.js';
import { ViewerSessions } from './origin/viewer-sessions.js';
import { prometheusRoutes, ServiceMetrics } from './api/routes/prometheus.js';
import { ChatStats } from './relay/store/chat-stats.js';
import { WATCHABLE_STATUSES } from './streams/lifecycle.js';
import { MetricsRepository } from './streams/metrics-repository.js';
import { MetricsSampler } from './streams/metrics-sampler.js';
import { streamAnalytics } from './streams/stream-analytics.js';
import type { IngestStatsSnapshot } from './ingest/ingest-stats.js';

/**
 * The composition root: builds every component from the config and wires them together.
 *
 *   const app = await startApp(loadConfig(process.env), logger);
 *   ...
 *   await app.close();   // stops accepting, finishes in-flight requests, closes the database
 */
export interface App {
  readonly config: Config;
  readonly http: FastifyInstance;
  readonly database: Database;
  readonly serviceKey: ServiceKey;
  readonly streams: StreamService;
  readonly relay: RelayService;
  close(): Promise<void>;
}

export async function startApp(config: Config, logger: Logger): Promise<App> {
  const serviceKey = loadOrCreateServiceKey(config.dataDir);
  const database = await openDatabase({
    ...config,
    onConnectionError: (error) => logger.warn({ err: error }, 'PostgreSQL dropped a connection; its query fails and the pool reconnects on the next one'),
  });
  logger.info({ engine: database.engine, pubkey: serviceKey.pubkey }, 'database ready');

  const publicUrl = new URL(config.publicUrl);
  const rtmpIngest = `rtmp://${publicUrl.hostname}:${config.rtmpPort}/live`;
  const repository = new StreamRepository(database.db);
  const streams = new StreamService(repository, {
    rtmpIngest,
    hlsPlayback: (streamId) => `${config.publicUrl}${playbackPaths.master(streamId)}`,
  }, { reconnectGraceMs: config.reconnectGraceMs, logger });
  const segments = new LocalSegmentStore(config.dataDir);

  const keyAttempts = new KeyAttemptLimiter({ maxFailures: config.rateLimits.keyFailures, windowMs: 10 * 60_000 });
  const pipeline = new LivePipeline({
    streams,
    keyAttempts,
    ffmpegPath: config.ffmpegPath,
    preset: 'veryfast',
    segments,
    publicUrl: config.publicUrl,
    logger,
    onTranscoderRestart: () => metrics.transcoderRestarts.inc(),
  });
  const ingestHealth = (streamId: string): IngestStatsSnapshot | undefined => pipeline.health(streamId);
  const viewers = new ViewerSessions();
  const metrics = new ServiceMetrics({
    liveStreams: async () =>
      (await repository.list({ statuses: WATCHABLE_STATUSES, publicOnly: false, order: 'newest' }, { limit: 1, offset: 0 })).total,
    viewers: () => viewers.activeStreams().reduce((sum, id) => sum + viewers.snapshot(id).current, 0),
    ingestKbps: () => pipeline.ingestKbps(),
    isPublic: async (streamId) => (await repository.findById(streamId))?.visibility === 'public',
    relayConnections: () => relay.connections,
    feedConnections: () => feed.connections,
    databaseReachable: () => sql`select 1`.execute(database.db).then(() => true, () => false),
    pendingStatusChanges: () => streams.pendingStatusChanges,
  });

  const webSockets = new ConnectionLimiter(config.rateLimits.webSocketsPerAddress);
  const addresses = clientAddresses(config.trustedProxies);
  const ownRelay = `${publicUrl.protocol === 'https:' ? 'wss:' : 'ws:'}//${publicUrl.host}/`;
  const playbackTokens = new PlaybackTokens(serviceKey.deriveSecret('playback-token'));
  // Every live chat message asks who may read it: a second's memory spares the database.
  const relayStreams = new StreamCache((id) => repository.findById(id));
  streams.on('updated', (stream) => relayStreams.forget(stream.id));
  const relay = await startRelayService({
    database,
    servicePubkey: serviceKey.pubkey,
    version: VERSION,
    logger,
    url: ownRelay,
    tokens: playbackTokens,
    streams: {
      find: async (streamId) => {
        const stream = await relayStreams.get(streamId);
        return (
          stream && {
            chatEnabled: stream.enableChat,
            isPrivate: stream.visibility === 'private',
            host: stream.pubkey,
            moderators: stream.moderators,
          }
        );
      },
    },
    onVerdict: (verdict) => metrics.relayEvents.inc({ result: verdict.accepted ? 'accepted' : 'refused' }),
    rateLimits: config.rateLimits,
    ...(config.redisUrl && { bus: await RedisEventBus.connect(config.redisUrl, logger) }),
  });

  const publisher = new LiveEventPublisher({
    servicePubkey: serviceKey.pubkey,
    sign: serviceKey.sign,
    relay: relay.store,
    outboxes: config.relays.map((url) => new RelayOutbox(url, { logger })),
    context: { ownRelay, externalRelays: config.relays, publicUrl: config.publicUrl },
    load: (id) => repository.findById(id),
    logger,
    // A minute beyond the grace: relays keep it for as long as a restart could still continue the stream.
    shutdownLifetimeMs: config.reconnectGraceMs + 60_000,
  });
  const publishFailed = (error: unknown) => logger.warn({ err: error }, 'publishing the live event failed');
  streams.on('created', (stream) => publisher.streamChanged(stream).catch(publishFailed));
  streams.on('status', (change) => publisher.statusChanged(change).catch(publishFailed));

  const playerReports = new PlayerReports();
  const streamMetrics = new MetricsRepository(database.db);
  const chatStats = new ChatStats(database.db);
  const sampler = new MetricsSampler({
    streams,
    repository,
    metrics: streamMetrics,
    servicePubkey: serviceKey.pubkey,
    logger,
    intervalMs: config.metricsSampleMs,
    sources: {
      watchSeconds: (id) => viewers.snapshot(id).watchSeconds,
      bufferingEvents: (id) => playerReports.totals(id)?.bufferingEvents ?? 0,
      ingestKbps: (id) => ingestHealth(id)?.bitrateKbps ?? null,
      chatMessages: (coordinate, since, until) => chatStats.count(coordinate, since, until),
    },
  });
  const http = await buildHttpServer({
    logger,
    service: streams,
    auth: createAuthenticator([config.publicUrl, ...config.publicUrlAliases], database.db),
    keyAttempts,
    info: {
      pubkey: serviceKey.pubkey,
      relay: ownRelay,
      rtmp_url: rtmpIngest,
      version: VERSION,
      relays: config.relays,
    },
    playback: new PlaybackLinks(config.publicUrl, playbackTokens),
    tokens: playbackTokens,
    apiRequestsPerMinute: config.rateLimits.apiPerAddress,
    trustedProxies: config.trustedProxies,
    addresses,
    ingestHealth,
    analytics: (stream) => streamAnalytics(stream, serviceKey.pubkey, streamMetrics, chatStats),
    requestTimeoutMs: config.httpRequestTimeoutMs,
    connectionsPerAddress: config.httpConnectionsPerAddress,
  });
  prometheusRoutes(http, metrics);

  const streamCache = new StreamCache((id) => repository.findById(id));
  streams.on('status', ({ stream }) => streamCache.forget(stream.id));
  const viewerCounts = new ViewerCountReporter(viewers, (streamId, counts) => streams.updateViewers(streamId, counts));
  streams.on('viewers', (stream) => publisher.streamChanged(stream).catch(publishFailed));
  streams.on('updated', (stream) => publisher.streamChanged(stream).catch(publishFailed));
  streams.on('status', ({ stream }) => {
    if (stream.status === 'ended' || stream.status === 'error') viewerCounts.forget(stream.id);
  });
  hlsRoutes(http, { segments, streams: streamCache, tokens: playbackTokens, viewers });

  relay.registerRoutes(http);
  const feed = new StreamFeed({
    streams,
    health: ingestHealth,
    reports: playerReports,
    tokens: playbackTokens,
    logger,
  });
  const feedPath = /^\/api\/v1\/streams\/([A-Za-z0-9-]{1,64})\/ws$/;
  routeUpgrades(http.server, addresses, webSockets, (path) => {
    if (path === '/') return relay.handleUpgrade;
    const streamId = feedPath.exec(path)?.[1];
    return streamId ? (request, socket, head) => feed.handleUpgrade(streamId, request, socket, head) : undefined;
  });

  const rtmp = new RtmpServer({
    authorize: pipeline.authorize,
    publish: pipeline.publish,
    unpublish: pipeline.unpublish,
    logger,
    limits: { publishTimeoutMs: config.rtmpPublishTimeoutMs, connectionsPerAddress: config.rateLimits.rtmpConnectionsPerAddress },
  });
  try {
    await http.listen({ port: config.port, host: config.host });
    await rtmp.listen(config.rtmpPort, config.host);
  } catch (error) {
    await relay.close();
    await http.close();
    await database.close();
    throw error;
  }
  await reconcileAfterRestart(streams, (stream) => publisher.streamChanged(stream).catch(publishFailed));

  let closing: Promise<void> | undefined;
  return {
    config,
    http,
    database,
    serviceKey,
    streams,
    relay,
    close: () => {
      closing ??= (async () => {
        // WebSockets are long-lived: close them first, or the HTTP server waits on them.
        await rtmp.close();
        await pipeline.close();
        streams.close();
        await publisher.close();
        viewerCounts.close();
        sampler.close();
        await relay.close();
        await feed.close();
        await http.close();
        await database.close();
      })();
      return closing;
    },
  };
}

/**
 * Streams the database says have an encoder attached cannot have one after a restart: they
 * go through the same disconnect (a live one waits out the grace period for its encoder,
 * then ends with its final 30311). One already waiting has no status change to announce, so
 * its 30311 is published again here: the one signed at shutdown expires with the old grace.
 */
async function reconcileAfterRestart(streams: StreamService, republish: (stream: Stream) => Promise<void>): Promise<void> {
  for (const stream of await streams.listAttached()) {
    if (stream.status === 'reconnecting') {
      streams.watchGracePeriod(stream);
      await republish(stream);
    } else {
      await streams.encoderDisconnected(stream.id);
    }
  }
}

import type { FastifyInstance } from 'fastify';
import type { Filter } from 'nostr-tools/filter';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { createAuthenticator } from './api/auth.js';
import { closeHttp } from './api/http-shutdown.js';
import { buildHttpServer } from './api/server.js';
import type { Config } from './config/config.js';
import { VERSION } from './config/version.js';
import type { Database } from './db/database.js';
import { openDatabase } from './db/open.js';
import { loadOrCreateServiceKey, type ServiceKey } from './identity/service-key.js';
import { publishServiceIdentity } from './identity/service-profile.js';
import { clientAddresses } from './abuse/client-address.js';
import { KeyAttemptLimiter } from './abuse/key-attempts.js';
import { ConnectionLimiter } from './abuse/connection-limiter.js';
import { Components } from './component.js';
import { RedisEventBus } from './relay/redis-event-bus.js';
import { joinCluster } from './cluster/cluster.js';
import { originProxy } from './cluster/origin-proxy.js';
import { SharedStreamState } from './cluster/shared-stream-state.js';
import { StreamHolding } from './cluster/stream-holding.js';
import { announcements } from './live/announcements.js';
import { startLive } from './live/live-service.js';
import { measuredFrom, MetricsSampler } from './live/metrics-sampler.js';
import { PublishGate } from './live/publish-gate.js';
import { Publishers } from './live/publishers.js';
import { reconcileAfterRestart } from './live/reconcile.js';
import { StreamState } from './live/stream-state.js';
import { StreamRepository } from './streams/stream-repository.js';
import { StreamService } from './streams/stream-service.js';
import { startRelayService, type RelayService } from './relay/relay-service.js';
import { streamChatDirectory } from './relay/stream-chat-directory.js';
import { routeUpgrades } from './api/upgrades.js';
import { PlayerReports } from './api/realtime/player-reports.js';
import { StreamFeed } from './api/realtime/stream-feed.js';
import { MediaFeeds } from './packager/media-feeds.js';
import { startRealtime } from './webrtc/realtime.js';
import { OPUS_FEED, realtimeAudioOutput } from './webrtc/realtime-feeds.js';
import { LocalSegmentStore } from './segments/local-segment-store.js';
import { playbackPaths } from './segments/playback-paths.js';
import { LiveEventPublisher } from './publisher/live-event-publisher.js';
import { RelayOutbox } from './publisher/relay-outbox.js';
import { startOrigin } from './origin/origin-service.js';
import { PlaybackLinks } from './origin/playback-links.js';
import { PlaybackTokens } from './origin/playback-token.js';
import { ViewerSessions } from './origin/viewer-sessions.js';
import { prometheusRoutes, ServiceMetrics } from './api/routes/prometheus.js';
import { ChatStats } from './relay/store/chat-stats.js';
import { WATCHABLE_STATUSES } from './streams/lifecycle.js';
import { MetricsRepository } from './streams/metrics-repository.js';
import { streamAnalytics, streamSummary } from './streams/stream-analytics.js';
import { ViewerCountryRepository } from './streams/viewer-country-repository.js';
import { openCountryLookup } from './geo/country-lookup.js';
import { viewerGeography } from './geo/viewer-geography.js';
import { CoverCards } from './covers/cover-cards.js';
import { Covers } from './covers/covers.js';
import { Profiles } from './covers/profiles.js';
import { NowPlaying } from './streams/now-playing.js';
import { TrackRepository } from './streams/track-repository.js';
import { bunkerPool } from './signing/bunker-client.js';
import { SignerRepository } from './signing/signer-repository.js';
import { StreamSigners } from './signing/stream-signers.js';
import { OurCoordinates } from './relay/policies/stream-directory.js';
import { LnurlKeys } from './zaps/lnurl-keys.js';
import { StreamZaps } from './zaps/stream-zaps.js';
import { ZapLedger } from './zaps/zap-ledger.js';
import { ZapRepository } from './zaps/zap-repository.js';
import { DestinationRepository } from './forwarding/destination-repository.js';
import { Forwarding } from './forwarding/forwarding.js';
import { SecretBox } from './forwarding/secret-box.js';

/**
 * The composition root: builds every component from the config and wires them together.
 * Components start in an order where each finds what it is built on already running, and
 * shutdown closes them in reverse: the ingest first, the database last.
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
  const parts = new Components();
  parts.add(database);
  try {
    return await startParts(config, logger, parts, serviceKey, database);
  } catch (error) {
    await parts.close();
    throw error;
  }
}

async function startParts(config: Config, logger: Logger, parts: Components, serviceKey: ServiceKey, database: Database): Promise<App> {
  const publicUrl = new URL(config.publicUrl);
  const rtmpIngest = `rtmp://${publicUrl.hostname}:${config.rtmpPort}/live`;
  const ownRelay = `${publicUrl.protocol === 'https:' ? 'wss:' : 'ws:'}//${publicUrl.host}/`;
  const repository = new StreamRepository(database.db);
  // Closed after the publisher, which still signs at shutdown.
  const signers = parts.add(
    new StreamSigners({
      repository: new SignerRepository(database.db),
      servicePubkey: serviceKey.pubkey,
      serviceSign: serviceKey.sign,
      pool: bunkerPool(),
      timeoutMs: config.bunkerTimeoutMs,
      logger,
    }),
  );
  await signers.load();
  if (database.engine === 'postgres') signers.refreshEvery(5_000);
  const streams = new StreamService(repository, {
    rtmpIngest,
    hlsPlayback: (streamId) => `${config.publicUrl}${playbackPaths.master(streamId)}`,
  }, { reconnectGraceMs: config.reconnectGraceMs, logger, signing: signers });
  const state = new StreamState(streams, logger);
  // Before everything that holds streams or hears about them: closed after them.
  const cluster = parts.add(await joinCluster({ redisUrl: config.redisUrl, node: config.node }, logger));
  const segments = new LocalSegmentStore(config.dataDir);
  /** Every live stream's fMP4 fragments in memory: the LL-HLS files are written from them, WebRTC viewers fed. */
  const feeds = new MediaFeeds();
  const publishGate = new PublishGate(streams, new KeyAttemptLimiter({ maxFailures: config.rateLimits.keyFailures, windowMs: 10 * 60_000 }));
  const publishers = new Publishers();
  const shared = parts.add(new SharedStreamState({ state, news: cluster.news, load: (id) => repository.findById(id), publishers, logger }));
  /** The figures of a stream's encoder, connected here or to another node. */
  const ingestHealth = (streamId: string) => publishers.reading(streamId) ?? shared.reading(streamId);
  const viewers = new ViewerSessions();
  const playerReports = new PlayerReports();
  const streamMetrics = new MetricsRepository(database.db);
  const tracks = new TrackRepository(database.db);
  const chatStats = new ChatStats(database.db);
  const viewerCountries = new ViewerCountryRepository(database.db);
  const addresses = clientAddresses(config.trustedProxies);
  const playbackTokens = new PlaybackTokens(serviceKey.deriveSecret('playback-token'));
  const metrics = new ServiceMetrics();
  // Hosts' kind 0 pictures and names come from the built-in relay, which starts after the HTTP
  // server: nothing asks for one before the server listens, and by then the relay is running.
  const relayEvents = { query: (filters: Filter[]) => relay.store.query(filters) };
  const profiles = new Profiles(relayEvents);
  const covers = new Covers(profiles, new CoverCards(config.ffmpegPath, config.dataDir, logger), config.publicUrl);
  const ours = new OurCoordinates(serviceKey.pubkey, (streamId) => signers.authorOf(streamId));
  const zapRepository = new ZapRepository(database.db);
  const ledger = new ZapLedger({
    ours,
    keys: new LnurlKeys(profiles),
    zaps: zapRepository,
    store: relayEvents,
    hasStream: async (streamId) => (await repository.findById(streamId)) !== undefined,
    logger,
  });
  const streamZaps = new StreamZaps(zapRepository, relayEvents, ledger);
  const realtime = startRealtime({
    feeds,
    findStream: (id) => repository.findById(id),
    tokens: playbackTokens,
    ladderOf: (id) => feeds.ladder(id),
    maxViewers: config.whepMaxViewers,
    publicUrl: config.publicUrl,
    logger,
  });

  const auth = createAuthenticator([config.publicUrl, ...config.publicUrlAliases], database.db);
  const http = await buildHttpServer({
    logger,
    service: streams,
    nowPlaying: new NowPlaying(streams, tracks),
    auth,
    publishGate,
    info: { pubkey: serviceKey.pubkey, relay: ownRelay, rtmp_url: rtmpIngest, version: VERSION, relays: config.relays },
    playback: new PlaybackLinks(config.publicUrl, playbackTokens),
    tokens: playbackTokens,
    apiRequestsPerMinute: config.rateLimits.apiPerAddress,
    trustedProxies: config.trustedProxies,
    addresses,
    ingestHealth,
    analytics: {
      full: (stream) =>
        streamAnalytics(stream, {
          coordinate: (streamId) => ours.coordinate(streamId),
          metrics: streamMetrics,
          chat: chatStats,
          tracks,
          zaps: (zapped) => streamZaps.analytics(zapped),
          countries: viewerCountries,
        }),
      summary: (stream) => streamSummary(stream, { coordinate: (streamId) => ours.coordinate(streamId), chat: chatStats }),
    },
    zaps: streamZaps,
    covers,
    signers,
    requestTimeoutMs: config.httpRequestTimeoutMs,
    connectionsPerAddress: config.httpConnectionsPerAddress,
    whepUrl: realtime.whepUrl,
    linkPreviews: {
      find: (id) => repository.findById(id),
      hostName: async (pubkey) => (await profiles.get(pubkey)).name,
      cover: (stream) => covers.urlFor(stream),
      eventAuthor: (stream) => signers.eventAuthor(stream),
      publicUrl: config.publicUrl,
      site: config.serviceProfile,
    },
  });
  parts.add({ close: () => closeHttp(http) });

  const relay = parts.add(
    await startRelayService({
      database,
      servicePubkey: serviceKey.pubkey,
      version: VERSION,
      logger,
      url: ownRelay,
      tokens: playbackTokens,
      streams: streamChatDirectory(repository, state),
      eventAuthors: (streamId) => signers.authorOf(streamId),
      onVerdict: (verdict) => metrics.relayEvents.inc({ result: verdict.accepted ? 'accepted' : 'refused' }),
      rateLimits: config.rateLimits,
      ...(config.redisUrl && { bus: await RedisEventBus.connect(config.redisUrl, logger) }),
    }),
  );
  relay.onEvent((event) => ledger.observe(event));
  // Closed before the relay and the database, so a receipt being recorded at shutdown is finished.
  parts.add(ledger);
  // Shared by the publisher, which closes them last at shutdown (draining what is pending).
  const outboxes = config.relays.map((url) => new RelayOutbox(url, { logger, timeoutMs: config.relayPublishTimeoutMs }));
  const publisher = parts.add(
    new LiveEventPublisher({
      servicePubkey: serviceKey.pubkey,
      sign: serviceKey.sign,
      streamers: signers,
      recordingUrl: (streamId) => `${config.publicUrl}${playbackPaths.recording(streamId)}`,
      relay: relay.store,
      outboxes,
      context: { ownRelay, externalRelays: config.relays },
      load: (id) => repository.findById(id),
      cover: (stream) => covers.urlFor(stream),
      logger,
      minIntervalMs: config.liveEventMinIntervalMs,
      // A minute beyond the grace: relays keep it for as long as a restart could still continue the stream.
      shutdownLifetimeMs: config.reconnectGraceMs + 60_000,
    }),
  );
  await publishServiceIdentity({
    profile: config.serviceProfile,
    publicUrl: config.publicUrl,
    pubkey: serviceKey.pubkey,
    sign: serviceKey.sign,
    relay: relay.store,
    outboxes,
    logger,
  }).catch((error: unknown) =>
    // The service works without its profile; clients then show its key unnamed until the next start.
    logger.warn({ err: error }, 'publishing the service profile and NIP-89 handler failed; restart the service to try again'),
  );
  const announce = announcements(publisher, logger);
  state.follow(announce.reactions);
  const sampler = parts.add(
    new MetricsSampler({
      repository,
      metrics: streamMetrics,
      servicePubkey: serviceKey.pubkey,
      logger,
      intervalMs: config.metricsSampleMs,
      sources: measuredFrom({ viewers, reports: playerReports, publishers, chat: chatStats }),
    }),
  );
  // Before the origin's: the last sample reads the viewer counts the origin then forgets.
  state.follow(sampler.reactions);
  const newViewer = viewerGeography(await openCountryLookup(), viewerCountries, logger);
  parts.add(
    await startOrigin({ repository, streams, state, segments, tokens: playbackTokens, viewers, newViewer, edgeLog: config.edgeLogListen, addresses, logger }),
  );
  const feed = parts.add(new StreamFeed({ streams, health: ingestHealth, reports: playerReports, tokens: playbackTokens, logger }));
  state.follow(feed.reactions);
  // Before the live pipeline: closed after it, so no encoder's media arrives once forwarding has stopped.
  const forwarding = parts.add(
    new Forwarding({
      destinations: new DestinationRepository(database.db, SecretBox.inDataDir(config.dataDir)),
      streams,
      auth,
      ffmpegPath: config.ffmpegPath,
      logger,
    }),
  );
  state.follow(forwarding.reactions);
  parts.add(
    await startLive({
      streams,
      state,
      gate: publishGate,
      publishers,
      ffmpegPath: config.ffmpegPath,
      preset: 'veryfast',
      segments,
      publicUrl: config.publicUrl,
      logger,
      onTranscoderRestart: () => metrics.transcoderRestarts.inc(),
      onSource: forwarding.source,
      holding: new StreamHolding(cluster.holders, segments, logger),
      feeds,
      // WebRTC carries Opus, not AAC: the live ffmpeg also encodes the sound once more for it.
      ...(realtime.sessions && { feedOutputs: [{ name: OPUS_FEED, args: realtimeAudioOutput }] }),
      rtmp: {
        port: config.rtmpPort,
        host: config.host,
        limits: { publishTimeoutMs: config.rtmpPublishTimeoutMs, connectionsPerAddress: config.rateLimits.rtmpConnectionsPerAddress },
      },
    }),
  );
  // After the live pipeline: parts close last-added first, so WebRTC viewers are let go before the feeds stop.
  parts.add(realtime);

  metrics.observe({
    liveStreams: async () =>
      (await repository.list({ statuses: WATCHABLE_STATUSES, publicOnly: false, order: 'newest' }, { limit: 1, offset: 0 })).total,
    viewers: () => viewers.activeStreams().reduce((sum, id) => sum + viewers.snapshot(id).current, 0),
    ingestKbps: () => publishers.ingestKbps(),
    isPublic: async (streamId) => (await repository.findById(streamId))?.visibility === 'public',
    relayConnections: () => relay.connections,
    feedConnections: () => feed.connections,
    databaseReachable: () => sql`select 1`.execute(database.db).then(() => true, () => false),
    pendingStatusChanges: () => streams.pendingStatusChanges,
  });
  prometheusRoutes(http, metrics);
  // Ahead of the origin's routes: a stream held by another node is answered from there.
  originProxy(http, { holders: cluster.holders, logger });
  parts.registerRoutes(http);
  routeUpgrades(http.server, addresses, new ConnectionLimiter(config.rateLimits.webSocketsPerAddress), parts.upgrade);
  // Thousands of players (re)connecting at once: a deeper accept queue than Node's 511 rides out a busy moment instead of dropping them (the kernel caps it at net.core.somaxconn).
  await http.listen({ port: config.port, host: config.host, backlog: 4096 });
  await reconcileAfterRestart(streams, announce.republish, cluster.holders, logger);

  let closing: Promise<void> | undefined;
  return {
    config,
    http,
    database,
    serviceKey,
    streams,
    relay,
    close: () => (closing ??= parts.close()),
  };
}

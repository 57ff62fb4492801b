import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Figures the service's parts expose for scraping; each is read when Prometheus scrapes. */
export interface ServiceGauges {
  liveStreams(): Promise<number>;
  viewers(): number;
  /** kbit/s per stream whose encoder is connected to this node. */
  ingestKbps(): ReadonlyMap<string, number>;
  /** Private streams are not named on `/metrics`, which anyone can read. */
  isPublic(streamId: string): Promise<boolean>;
  relayConnections(): number;
  feedConnections(): number;
  /** Whether the database answers a trivial query now. */
  databaseReachable(): Promise<boolean>;
  /** Stream status changes kept in memory until the database takes them. */
  pendingStatusChanges(): number;
}

/**
 * `GET /metrics` in the Prometheus text format, plus the counters other parts increment.
 * The counters exist from the start, for the parts to be built with; the gauges read parts
 * that are started later, so they are added once those are.
 *
 *   const metrics = new ServiceMetrics();
 *   metrics.relayEvents.inc({ result: 'accepted' });
 *   metrics.observe(gauges);
 *   prometheusRoutes(app, metrics);
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly relayEvents = new Counter({
    name: 'wavlake_relay_events_total',
    help: 'Events received by the built-in relay, by outcome',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly transcoderRestarts = new Counter({
    name: 'wavlake_transcoder_restarts_total',
    help: 'Times a stream transcoder (ffmpeg) died and was restarted',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'wavlake_' });
  }

  observe(gauges: ServiceGauges): void {
    const gauge = (name: string, help: string, read: () => number | Promise<number>) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          // A figure that needs the database keeps its last value while the database is away,
          // so the scrape still reports everything else (wavlake_database_up says why).
          const value = await Promise.resolve(read()).catch(() => undefined);
          if (value !== undefined) this.set(value);
        },
      });
    gauge('wavlake_live_streams', 'Streams that are live (or waiting for their encoder to reconnect)', () => gauges.liveStreams());
    gauge('wavlake_viewers', 'Concurrent viewers over all streams', () => gauges.viewers());
    gauge('wavlake_relay_connections', 'Open WebSocket connections to the built-in relay', () => gauges.relayConnections());
    gauge('wavlake_feed_connections', 'Open real-time stream feed WebSockets', () => gauges.feedConnections());
    gauge('wavlake_database_up', '1 when the database answers, 0 while it is unreachable', async () =>
      (await gauges.databaseReachable()) ? 1 : 0,
    );
    gauge(
      'wavlake_pending_status_changes',
      'Stream status changes waiting for the database (retried until stored); above 0 while the database is unreachable',
      () => gauges.pendingStatusChanges(),
    );
    new Gauge({
      name: 'wavlake_ingest_bitrate_kbps',
      help: 'Incoming RTMP bitrate per public stream; private streams are summed under stream_id="private"',
      labelNames: ['stream_id'] as const,
      registers: [this.registry],
      async collect() {
        const rates = gauges.ingestKbps();
        // A stream the database cannot vouch for right now counts as private.
        const visible = await Promise.all([...rates.keys()].map((streamId) => gauges.isPublic(streamId).catch(() => false)));
        this.reset();
        let privateKbps = 0;
        [...rates.entries()].forEach(([streamId, kbps], index) => {
          if (visible[index]) this.set({ stream_id: streamId }, kbps);
          else privateKbps += kbps;
        });
        if (privateKbps > 0) this.set({ stream_id: 'private' }, privateKbps);
      },
    });
  }
}

export function prometheusRoutes(app: FastifyInstance, metrics: ServiceMetrics): void {
  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

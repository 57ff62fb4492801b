import type { Logger } from 'pino';
import type { PlayerReports } from '../api/realtime/player-reports.js';
import type { ViewerSessions } from '../origin/viewer-sessions.js';
import type { ChatStats } from '../relay/store/chat-stats.js';
import type { Publishers } from './publishers.js';
import type { LiveReactions } from './stream-state.js';
import { formatCoordinate, liveEventCoordinate } from '../protocol/coordinate.js';
import { WATCHABLE_STATUSES } from '../streams/lifecycle.js';
import type { MetricsRepository } from '../streams/metrics-repository.js';
import type { StreamRepository } from '../streams/stream-repository.js';
import { unixNow } from '../protocol/time.js';
import type { Stream } from '../streams/stream.js';

/** What the sampler reads from the parts that measure (all counted since this process started). */
export interface MetricsSources {
  watchSeconds(streamId: string): number;
  bufferingEvents(streamId: string): number;
  bufferingSeconds(streamId: string): number;
  qualitySwitches(streamId: string): number;
  /** Ingest kbit/s, when this node has the stream's encoder. */
  ingestKbps(streamId: string): number | null;
  chatMessages(coordinate: string, since: number, until: number): Promise<number>;
}

/**
 * The sources as the service has them: the origin's viewer sessions, the players' reports,
 * the encoders publishing here, the relay's chat.
 */
export function measuredFrom(parts: {
  readonly viewers: Pick<ViewerSessions, 'snapshot'>;
  readonly reports: Pick<PlayerReports, 'totals'>;
  readonly publishers: Pick<Publishers, 'health'>;
  readonly chat: Pick<ChatStats, 'count'>;
}): MetricsSources {
  return {
    watchSeconds: (id) => parts.viewers.snapshot(id).watchSeconds,
    bufferingEvents: (id) => parts.reports.totals(id)?.bufferingEvents ?? 0,
    bufferingSeconds: (id) => Math.round((parts.reports.totals(id)?.bufferingMs ?? 0) / 1000),
    qualitySwitches: (id) => parts.reports.totals(id)?.qualitySwitches ?? 0,
    ingestKbps: (id) => parts.publishers.health(id)?.bitrateKbps ?? null,
    chatMessages: (coordinate, since, until) => parts.chat.count(coordinate, since, until),
  };
}

interface Baseline {
  watchSeconds: number;
  bufferingEvents: number;
  bufferingSeconds: number;
  qualitySwitches: number;
  dropouts: number;
  lastSampleAt: number;
}

/**
 * Stores a `stream_metrics` row for every live stream every 10 s, and a last one when it
 * ends or fails: concurrent and total
 * viewers, chat messages since the previous sample, ingest bitrate, and running totals
 * of watch time, buffering and encoder dropouts. The running totals continue from the
 * last stored sample after a restart.
 *
 *   const sampler = new MetricsSampler({ repository, metrics, sources, servicePubkey, logger });
 *   state.follow(sampler.reactions);   // counts dropouts, takes the last sample at the end
 *   sampler.close();
 */
export class MetricsSampler {
  private readonly baselines = new Map<string, Baseline>();
  private readonly dropouts = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly options: {
      readonly repository: StreamRepository;
      readonly metrics: MetricsRepository;
      readonly sources: MetricsSources;
      readonly servicePubkey: string;
      readonly logger: Pick<Logger, 'warn'>;
      readonly intervalMs?: number;
    },
  ) {
    this.timer = setInterval(() => {
      this.sample().catch((error: unknown) => options.logger.warn({ err: error }, 'metrics sample failed'));
    }, options.intervalMs ?? 10_000);
    this.timer.unref();
  }

  readonly reactions: LiveReactions = {
    dropped: (stream) => this.dropouts.set(stream.id, (this.dropouts.get(stream.id) ?? 0) + 1),
    ended: (stream, from) => {
      // The last figures of the broadcast, so the timeline ends where the stream did.
      const final = WATCHABLE_STATUSES.includes(from) ? this.sampleOne(stream, unixNow()) : Promise.resolve();
      void final
        .catch((error: unknown) => this.options.logger.warn({ err: error, streamId: stream.id }, 'final metrics sample failed'))
        .finally(() => {
          this.baselines.delete(stream.id);
          this.dropouts.delete(stream.id);
        });
    },
  };

  async sample(): Promise<void> {
    const { streams } = await this.options.repository.list(
      { statuses: WATCHABLE_STATUSES, publicOnly: false, order: 'newest' },
      { limit: 10_000, offset: 0 },
    );
    const now = unixNow();
    for (const stream of streams) await this.sampleOne(stream, now);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async sampleOne(stream: Stream, now: number): Promise<void> {
    const { sources, metrics } = this.options;
    // Read the in-memory figures before the first await: at the end of a stream the origin
    // forgets its viewer sessions in the same tick as this final sample is asked for.
    const ingestKbps = roundOrNull(sources.ingestKbps(stream.id));
    const watchSeconds = sources.watchSeconds(stream.id);
    const bufferingEvents = sources.bufferingEvents(stream.id);
    const bufferingSeconds = sources.bufferingSeconds(stream.id);
    const qualitySwitches = sources.qualitySwitches(stream.id);
    const dropouts = this.dropouts.get(stream.id) ?? 0;
    const baseline = await this.baseline(stream.id);
    const coordinate = formatCoordinate(liveEventCoordinate(this.options.servicePubkey, stream.id));
    const since = baseline.lastSampleAt || (stream.startedAt ?? now);
    await metrics.insert({
      stream_id: stream.id,
      timestamp: now,
      concurrent_viewers: stream.currentViewers,
      total_viewers: stream.totalViewers,
      chat_messages: await sources.chatMessages(coordinate, since, now),
      bitrate: ingestKbps,
      watch_seconds: baseline.watchSeconds + watchSeconds,
      buffering_events: baseline.bufferingEvents + bufferingEvents,
      buffering_seconds: baseline.bufferingSeconds + bufferingSeconds,
      quality_switches: baseline.qualitySwitches + qualitySwitches,
      dropouts: baseline.dropouts + dropouts,
    });
    baseline.lastSampleAt = now;
  }

  private async baseline(streamId: string): Promise<Baseline> {
    let baseline = this.baselines.get(streamId);
    if (!baseline) {
      const last = await this.options.metrics.latest(streamId);
      baseline = {
        watchSeconds: last?.watch_seconds ?? 0,
        bufferingEvents: last?.buffering_events ?? 0,
        bufferingSeconds: last?.buffering_seconds ?? 0,
        qualitySwitches: last?.quality_switches ?? 0,
        dropouts: last?.dropouts ?? 0,
        lastSampleAt: last?.timestamp ?? 0,
      };
      this.baselines.set(streamId, baseline);
    }
    return baseline;
  }
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}

import type { MetricsRepository } from './metrics-repository.js';
import type { StreamAnalytics } from '../protocol/analytics.js';
import { unixNow } from '../protocol/time.js';
import type { Stream } from './stream.js';
import type { TrackRepository } from './track-repository.js';

export interface ChatCounter {
  count(coordinate: string): Promise<number>;
  authors(coordinate: string): Promise<number>;
}

export interface AnalyticsSources {
  /** The stream's 30311 coordinate, `30311:<event author>:<id>`: the service's key or, for a streamer-signed stream, the streamer's. */
  readonly coordinate: (streamId: string) => string;
  readonly metrics: MetricsRepository;
  readonly chat: ChatCounter;
  readonly tracks: Pick<TrackRepository, 'timeline'>;
  /** The host's zaps in the stream (the zap ledger's summary). */
  readonly zaps: (stream: Stream) => Promise<StreamAnalytics['zaps']>;
}

export async function streamAnalytics(stream: Stream, sources: AnalyticsSources): Promise<StreamAnalytics> {
  const coordinate = sources.coordinate(stream.id);
  const [samples, chatMessages, chatAuthors, timeline, zaps] = await Promise.all([
    sources.metrics.samples(stream.id),
    sources.chat.count(coordinate),
    sources.chat.authors(coordinate),
    sources.tracks.timeline(stream.id),
    sources.zaps(stream),
  ]);
  const last = samples.at(-1);
  const bitrates = samples.flatMap((sample) => (sample.bitrate === null ? [] : [sample.bitrate]));
  const duration = stream.startedAt === null ? 0 : (stream.endedAt ?? unixNow()) - stream.startedAt;
  return {
    duration,
    peakViewers: stream.maxViewers,
    totalViewers: stream.totalViewers,
    ...(stream.totalViewers > 0 && last && { averageViewTime: Math.round(last.watch_seconds / stream.totalViewers) }),
    chatMessages,
    ...(stream.totalViewers > 0 && { chatEngagement: round2(Math.min(1, chatAuthors / stream.totalViewers)) }),
    qualityMetrics: {
      ...(bitrates.length > 0 && { averageBitrate: Math.round(bitrates.reduce((a, b) => a + b, 0) / bitrates.length) }),
      dropoutEvents: last?.dropouts ?? 0,
      bufferingEvents: last?.buffering_events ?? 0,
    },
    timeline: samples.map((sample) => ({
      timestamp: sample.timestamp,
      viewers: sample.concurrent_viewers,
      chatMessages: sample.chat_messages,
      ...(sample.bitrate !== null && { bitrate: sample.bitrate }),
    })),
    tracks: timeline,
    zaps,
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

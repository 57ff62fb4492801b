import type { MetricsRepository } from './metrics-repository.js';
import type { StreamAnalytics, StreamSummary } from '../protocol/analytics.js';
import { unixNow } from '../protocol/time.js';
import type { Stream } from './stream.js';
import type { TrackRepository } from './track-repository.js';
import { engagement } from './engagement.js';
import type { ViewerCountryRepository } from './viewer-country-repository.js';

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
  readonly countries: Pick<ViewerCountryRepository, 'of'>;
  /** The host's zaps in the stream (the zap ledger's summary). */
  readonly zaps: (stream: Stream) => Promise<StreamAnalytics['zaps']>;
}

export async function streamAnalytics(stream: Stream, sources: AnalyticsSources): Promise<StreamAnalytics> {
  const coordinate = sources.coordinate(stream.id);
  const [samples, chatMessages, chatters, timeline, zaps, countries] = await Promise.all([
    sources.metrics.samples(stream.id),
    sources.chat.count(coordinate),
    sources.chat.authors(coordinate),
    sources.tracks.timeline(stream.id),
    sources.zaps(stream),
    sources.countries.of(stream.id),
  ]);
  const last = samples.at(-1);
  const bitrates = samples.flatMap((sample) => (sample.bitrate === null ? [] : [sample.bitrate]));
  const duration = streamDuration(stream);
  return {
    duration,
    peakViewers: stream.maxViewers,
    totalViewers: stream.totalViewers,
    ...(stream.totalViewers > 0 && last && { averageViewTime: Math.round(last.watch_seconds / stream.totalViewers) }),
    chatMessages,
    chatters,
    ...engagement({ viewers: stream.totalViewers, chatters, messages: chatMessages, durationSeconds: duration }),
    qualityMetrics: {
      ...(bitrates.length > 0 && { averageBitrate: Math.round(bitrates.reduce((a, b) => a + b, 0) / bitrates.length) }),
      dropoutEvents: last?.dropouts ?? 0,
      bufferingEvents: last?.buffering_events ?? 0,
      bufferingSeconds: last?.buffering_seconds ?? 0,
      qualitySwitches: last?.quality_switches ?? 0,
    },
    timeline: samples.map((sample) => ({
      timestamp: sample.timestamp,
      viewers: sample.concurrent_viewers,
      chatMessages: sample.chat_messages,
      ...(sample.bitrate !== null && { bitrate: sample.bitrate }),
    })),
    countries: [...countries],
    tracks: timeline,
    zaps,
  };
}

/** The public headline of an ended stream: no timeline, no geography, nothing per viewer. */
export async function streamSummary(stream: Stream, sources: Pick<AnalyticsSources, 'coordinate' | 'chat'>): Promise<StreamSummary> {
  return {
    duration: streamDuration(stream),
    peakViewers: stream.maxViewers,
    chatMessages: await sources.chat.count(sources.coordinate(stream.id)),
  };
}

function streamDuration(stream: Stream): number {
  return stream.startedAt === null ? 0 : (stream.endedAt ?? unixNow()) - stream.startedAt;
}

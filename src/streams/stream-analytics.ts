import { formatCoordinate, liveEventCoordinate } from '../protocol/coordinate.js';
import type { MetricsRepository } from './metrics-repository.js';
import type { StreamAnalytics } from '../protocol/analytics.js';
import { unixNow } from '../protocol/time.js';
import type { Stream } from './stream.js';
import type { TrackRepository } from './track-repository.js';

export interface ChatCounter {
  count(coordinate: string): Promise<number>;
  authors(coordinate: string): Promise<number>;
}

export async function streamAnalytics(
  stream: Stream,
  servicePubkey: string,
  metrics: MetricsRepository,
  chat: ChatCounter,
  tracks: Pick<TrackRepository, 'timeline'>,
): Promise<StreamAnalytics> {
  const coordinate = formatCoordinate(liveEventCoordinate(servicePubkey, stream.id));
  const [samples, chatMessages, chatAuthors, timeline] = await Promise.all([
    metrics.samples(stream.id),
    chat.count(coordinate),
    chat.authors(coordinate),
    tracks.timeline(stream.id),
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
    // PLACEHOLDER until the zap ledger (helper A) fills this in.
    zaps: { totalSats: 0, count: 0, topZappers: [], timeline: [] },
  };
}

const round2 = (value: number) => Math.round(value * 100) / 100;

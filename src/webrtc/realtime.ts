import type { Logger } from 'pino';
import { whepPath, whepRoutes } from '../api/routes/whep.js';
import type { Component } from '../component.js';
import type { RenditionPlan } from '../media/ladder.js';
import type { PlaybackTokens } from '../origin/playback-token.js';
import type { MediaFeeds } from '../packager/media-feeds.js';
import type { Stream } from '../streams/stream.js';
import { OPUS_FEED, realtimeVideoFeed } from './realtime-feeds.js';
import { WhepSessions } from './whep-sessions.js';

export interface RealtimeOptions {
  readonly feeds: MediaFeeds;
  readonly findStream: (id: string) => Promise<Stream | undefined>;
  readonly tokens: PlaybackTokens;
  /** The ladder a live stream's ffmpeg runs, undefined when none runs. */
  readonly ladderOf: (streamId: string) => readonly RenditionPlan[] | undefined;
  /** `WHEP_MAX_VIEWERS`; 0 turns real-time off. */
  readonly maxViewers: number;
  /** `PUBLIC_URL`: the StreamView's `whep_url` is absolute under it. */
  readonly publicUrl: string;
  readonly logger: Logger;
}

export interface Realtime extends Component {
  readonly sessions: WhepSessions | undefined;
  /** A stream's WHEP endpoint for its StreamView (`whep_url`); undefined while real-time is off. */
  readonly whepUrl: ((streamId: string) => string) | undefined;
}

/**
 * Real-time playback over WebRTC (WHEP), served from the stream's feeds in this process.
 *
 *   parts.add(startRealtime({ feeds, findStream: (id) => repository.findById(id), tokens, ladderOf, maxViewers, publicUrl, logger }));
 */
export function startRealtime(options: RealtimeOptions): Realtime {
  const sessions = options.maxViewers > 0 ? new WhepSessions(options.feeds, options.maxViewers) : undefined;
  if (!sessions) options.logger.info('real-time (WHEP) playback is off: WHEP_MAX_VIEWERS=0');
  return {
    sessions,
    whepUrl: sessions ? (streamId) => `${options.publicUrl}${whepPath(streamId)}` : undefined,
    routes: (http) =>
      whepRoutes(http, {
        sessions,
        findStream: options.findStream,
        tokens: options.tokens,
        videoFeedOf: (streamId) => realtimeVideoFeed(options.ladderOf(streamId) ?? []),
        hasMedia: (streamId, videoFeed) => options.feeds.last(streamId, videoFeed ?? OPUS_FEED) !== undefined,
      }),
    close: () => sessions?.closeAll(),
  };
}

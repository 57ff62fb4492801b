import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { ClientAddresses } from '../abuse/client-address.js';
import type { Component } from '../component.js';
import type { StreamState } from '../live/stream-state.js';
import type { SegmentStore } from '../segments/segment-store.js';
import type { StreamRepository } from '../streams/stream-repository.js';
import type { StreamService } from '../streams/stream-service.js';
import type { StreamStatus } from '../streams/lifecycle.js';
import { EDGE_COUNTED_HEADER, EDGE_COUNTED_VALUE, listenForEdgeLog } from './edge-access-log.js';
import { hlsRoutes } from './hls-routes.js';
import { LiveWindowCache } from './live-window-cache.js';
import type { PlaybackTokens } from './playback-token.js';
import { PlaylistHolds } from './playlist-holds.js';
import { StreamCache } from './stream-cache.js';
import { ViewerCountReporter } from './viewer-count-reporter.js';
import type { ViewerSessions } from './viewer-sessions.js';

/** The statuses whose live output is served (see decideAccess): connected (the host's preview), live, reconnecting. */
const ON_AIR: ReadonlySet<StreamStatus> = new Set(['connected', 'live', 'reconnecting']);

export interface OriginServiceOptions {
  readonly repository: StreamRepository;
  readonly streams: StreamService;
  readonly state: StreamState;
  readonly segments: SegmentStore;
  readonly tokens: PlaybackTokens;
  readonly viewers: ViewerSessions;
  /** Viewer geography: called once per new viewer session with the client's address. */
  readonly newViewer?: (streamId: string, address: string) => void;
  /** `EDGE_LOG_LISTEN`: viewers behind the nginx edge are counted from its access log, received here. */
  readonly edgeLog?: { readonly host: string; readonly port: number };
  readonly addresses: ClientAddresses;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

/**
 * The HLS origin: serves `/hls/…` and `/vod/…`, counts the viewers and reports their counts to
 * the stream. A status change is seen at once (the cache forgets the stream); an ended
 * stream's counts are final.
 *
 *   const origin = await startOrigin(options);   // { routes, close }
 */
export async function startOrigin(options: OriginServiceOptions): Promise<Component> {
  const { tokens, viewers, newViewer, addresses } = options;
  const streams = new StreamCache((id) => options.repository.findById(id));
  const live = new LiveWindowCache(options.segments);
  // First, before any timer: a port that cannot be bound stops the start-up with nothing left running.
  const edgeLog = options.edgeLog
    ? await listenForEdgeLog(options.edgeLog, { streams, tokens, viewers, newViewer, isTrustedSender: addresses.isLocalOrTrusted, logger: options.logger })
    : undefined;
  // Only with the log on: otherwise the edge's viewers would be counted nowhere.
  const countedAtEdge = edgeLog
    ? (request: FastifyRequest) => request.headers[EDGE_COUNTED_HEADER] === EDGE_COUNTED_VALUE && addresses.peerIsTrusted(request.raw)
    : undefined;
  // Held requests are woken by the live window once it holds the new playlist, so they read that one.
  const holds = new PlaylistHolds(live);
  const counts = new ViewerCountReporter(viewers, (streamId, latest) => options.streams.updateViewers(streamId, latest));
  options.state.follow({
    everyNode: true,
    transition: ({ stream }) => {
      streams.forget(stream.id);
      // Only a stream that is (or may go) on air keeps its window in memory; an ended one is served from its files.
      if (!ON_AIR.has(stream.status)) live.end(stream.id);
      // A request held for a part that will never come is answered with the ended playlist now.
      holds.wakeAll(stream.id);
    },
    ended: (stream) => counts.forget(stream.id),
  });
  return {
    routes: (http) => hlsRoutes(http, { segments: options.segments, live, streams, tokens, viewers, holds, newViewer, countedAtEdge }),
    close: async () => {
      live.close();
      counts.close();
      await edgeLog?.close();
    },
  };
}

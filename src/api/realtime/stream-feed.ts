import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { WebSocket, WebSocketServer } from 'ws';
import { RateLimiter } from '../../abuse/rate-limiter.js';
import type { IngestReading } from '../../live/publishers.js';
import type { LiveReactions } from '../../live/stream-state.js';
import type { PlaybackTokens } from '../../origin/playback-token.js';
import type { FeedMessage, StreamType } from '../../protocol/api-views.js';
import { STREAM_ID_PATTERN } from '../../protocol/stream-id.js';
import type { StreamService } from '../../streams/stream-service.js';
import type { Stream } from '../../streams/stream.js';
import type { Component } from '../../component.js';
import { refuseUpgrade, type UpgradeHandler } from '../upgrades.js';
import { trackView } from '../stream-view.js';
import { ingestHealthView } from './ingest-health-view.js';
import { playerReportSchema, type PlayerReports } from './player-reports.js';

export interface StreamFeedOptions {
  readonly streams: StreamService;
  /** The live ingest figures of a stream whose encoder is connected to this node. */
  readonly health: (streamId: string) => IngestReading | undefined;
  readonly reports: PlayerReports;
  readonly tokens: PlaybackTokens;
  readonly logger: FastifyBaseLogger;
  readonly healthIntervalMs?: number;
}

const MAX_MESSAGE_BYTES = 4096;
const MAX_REPORTS_PER_MINUTE = 120;

const FEED_PATH = /^\/api\/v1\/streams\/([^/]+)\/ws$/;

interface Listener {
  readonly socket: WebSocket;
  /** Its key in the report limiter. */
  readonly id: string;
}

/**
 * `WS /api/v1/streams/<id>/ws`: pushes a stream's status, viewer counts, now-playing track and ingest health
 * to every listener as they change, and takes players' buffering and quality-switch
 * reports. Messages are JSON objects with a `type`.
 *
 *   const feed = new StreamFeed(options);
 *   state.follow(feed.reactions);
 *   routeUpgrades(server, addresses, limiter, feed.upgrade);
 */
export class StreamFeed implements Component {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Each listened-to stream's type, which its health compares with what the encoder sends. */
  private readonly streamTypes = new Map<string, StreamType>();
  private readonly reportLimit = new RateLimiter({ limit: MAX_REPORTS_PER_MINUTE, windowMs: 60_000 });
  private listenersSeen = 0;
  private readonly healthTimer: NodeJS.Timeout;

  constructor(private readonly options: StreamFeedOptions) {
    this.healthTimer = setInterval(() => this.pushHealth(), options.healthIntervalMs ?? 1000);
    this.healthTimer.unref();
  }

  readonly reactions: LiveReactions = {
    everyNode: true,
    transition: ({ stream }) => this.broadcast(stream.id, statusMessage(stream)),
    paused: (stream) => this.broadcast(stream.id, statusMessage(stream)),
    // An edit, or the recording's URL arriving after the end, changes what the status says.
    updated: (stream) => {
      if (this.streamTypes.has(stream.id)) this.streamTypes.set(stream.id, stream.streamType);
      this.broadcast(stream.id, statusMessage(stream));
    },
    viewers: (stream) => this.broadcast(stream.id, viewersMessage(stream)),
    track: (stream) => this.broadcast(stream.id, trackMessage(stream)),
    // Nothing plays after the end: players drop the track line without having to infer it.
    ended: (stream) => {
      if (stream.status === 'ended') this.broadcast(stream.id, trackMessage(stream));
    },
  };

  /** The handler for a stream's feed path; the caller gives each upgrade a WebSocket slot (`routeUpgrades`). */
  readonly upgrade = (path: string): UpgradeHandler | undefined => {
    const streamId = FEED_PATH.exec(path)?.[1];
    return streamId && STREAM_ID_PATTERN.test(streamId) ? (request, socket, head) => this.handleUpgrade(streamId, request, socket, head) : undefined;
  };

  private handleUpgrade(streamId: string, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    void this.admit(streamId, request).then((stream) => {
      if (!stream) return refuseUpgrade(socket, '404 Not Found');
      this.wss.handleUpgrade(request, socket, head, (client) => this.listen(stream, client));
    });
  }

  get connections(): number {
    return this.wss.clients.size;
  }

  async close(): Promise<void> {
    clearInterval(this.healthTimer);
    for (const client of this.wss.clients) client.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** The stream, if it exists and is not private (or the request carries a playback token for it). */
  private async admit(streamId: string, request: IncomingMessage): Promise<Stream | undefined> {
    try {
      const stream = await this.options.streams.get(streamId);
      if (stream.visibility === 'public') return stream;
      const token = new URL(request.url ?? '/', 'http://feed').searchParams.get('token');
      return token && this.options.tokens.verify(token, streamId) ? stream : undefined;
    } catch {
      return undefined;
    }
  }

  private listen(stream: Stream, socket: WebSocket): void {
    this.listenersSeen += 1;
    const listener: Listener = { socket, id: String(this.listenersSeen) };
    let set = this.listeners.get(stream.id);
    if (!set) {
      set = new Set();
      this.listeners.set(stream.id, set);
    }
    set.add(listener);
    this.streamTypes.set(stream.id, stream.streamType);
    socket.on('close', () => {
      set.delete(listener);
      if (set.size > 0) return;
      this.listeners.delete(stream.id);
      this.streamTypes.delete(stream.id);
    });
    socket.on('error', (error) => this.options.logger.debug({ err: error, streamId: stream.id }, 'feed socket error'));
    socket.on('message', (data, isBinary) => this.onReport(stream.id, listener, isBinary ? undefined : data.toString()));

    send(socket, statusMessage(stream));
    send(socket, viewersMessage(stream));
    if (stream.nowPlaying) send(socket, trackMessage(stream));
    const health = this.options.health(stream.id);
    if (health) send(socket, { type: 'health', ingest: ingestHealthView(health, stream.streamType) });
  }

  private onReport(streamId: string, listener: Listener, text: string | undefined): void {
    if (this.reportLimit.take(listener.id) > 0) {
      send(listener.socket, { type: 'error', error: 'rate_limited', message: 'Too many reports; at most 120 a minute.' });
      return;
    }
    let json: unknown;
    try {
      json = text === undefined ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const report = playerReportSchema.safeParse(json);
    if (!report.success) {
      send(listener.socket, {
        type: 'error',
        error: 'invalid_report',
        message: 'Send JSON like {"type":"buffering","duration_ms":800} or {"type":"quality_switch","to":"480p"}.',
      });
      return;
    }
    this.options.reports.record(streamId, report.data);
  }

  private broadcast(streamId: string, message: FeedMessage): void {
    const set = this.listeners.get(streamId);
    if (!set) return;
    const text = JSON.stringify(message);
    for (const listener of set) send(listener.socket, text);
  }

  private pushHealth(): void {
    for (const [streamId, streamType] of this.streamTypes) {
      const health = this.options.health(streamId);
      if (health) this.broadcast(streamId, { type: 'health', ingest: ingestHealthView(health, streamType) });
    }
  }
}

/** A listener this far behind is not reading; dropping it protects the process's memory. */
const MAX_BUFFERED_BYTES = 1 << 20;

function send(socket: WebSocket, message: FeedMessage | string): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.terminate();
    return;
  }
  socket.send(typeof message === 'string' ? message : JSON.stringify(message));
}

function statusMessage(stream: Stream): FeedMessage {
  return {
    type: 'status',
    stream_id: stream.id,
    status: stream.status,
    paused: stream.paused,
    started_at: stream.startedAt,
    ended_at: stream.endedAt,
    recording_url: stream.recordingUrl,
  };
}

function viewersMessage(stream: Stream): FeedMessage {
  return { type: 'viewers', current: stream.currentViewers, peak: stream.maxViewers, total: stream.totalViewers };
}

function trackMessage(stream: Stream): FeedMessage {
  return { type: 'track', track: stream.nowPlaying && trackView(stream.nowPlaying) };
}

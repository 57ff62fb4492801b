import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { ConnectionLimiter } from '../../abuse/connection-limiter.js';
import type { ConnectionLimits } from './connection.js';
import type { PublishSession } from './publish-session.js';
import { RtmpSession, type AuthorizeResult, type SessionHost, type UnpublishReason } from './session.js';

export type { AuthorizeResult, UnpublishReason } from './session.js';
export type { PublishSession } from './publish-session.js';

export interface RtmpLimits extends ConnectionLimits {
  /**
   * Open connections, publishing or not. At the limit a new connection takes the place of
   * the oldest one not publishing, so connections that never publish cannot keep encoders out.
   */
  readonly maxConnections: number;
  /** Open connections from one address; more are refused at accept. */
  readonly connectionsPerAddress: number;
}

export const DEFAULT_RTMP_LIMITS: RtmpLimits = {
  // RTMP's 24-bit length allows 16 MiB; a 4K keyframe at a high bitrate is a few MiB. Memory
  // follows the bytes that arrive, not the lengths announced, so the full range costs nothing.
  maxMessageSize: 16 * 1024 * 1024,
  // OBS, ffmpeg and GStreamer are publishing within a second of connecting.
  publishTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  maxConnections: 1000,
  // A live encoder, its reconnect while the old socket lingers, and room for a second encoder.
  connectionsPerAddress: 4,
};

const EVICTION_LOG_INTERVAL_MS = 60_000;

export interface RtmpServerOptions {
  /**
   * Checks a publisher's stream key when it sends `publish`, before any of its media is
   * accepted. `reason` is shown by the encoder; it must not echo the key.
   */
  authorize(key: string, remoteAddress: string): Promise<AuthorizeResult>;
  readonly logger: Logger;
  /**
   * The key was accepted: take the publish (read `session.flv`), or return false while the
   * stream has another publisher, and this one is refused as already publishing. Who publishes
   * to which stream is recorded by the caller, not here.
   */
  publish(session: PublishSession): boolean;
  /** A publish taken by `publish` ended; `session.flv` ends too. */
  unpublish?(session: PublishSession, reason: UnpublishReason): void;
  readonly limits?: Partial<RtmpLimits>;
}

/**
 * The built-in RTMP ingest: publishers connect to rtmp://HOST:PORT/live/<stream key>.
 * A publisher whose key `authorize` accepts and whose publish `publish` takes is live; one
 * `publish` turns down (its stream has a publisher already) is refused. Stream keys never
 * reach the log.
 *
 *   const server = new RtmpServer({ authorize, logger, publish: (s) => (s.flv.pipe(ffmpeg.stdin), true) });
 *   await server.listen(1935, '0.0.0.0');
 *   await server.close();
 */
export class RtmpServer {
  private readonly server: Server;
  private readonly limits: RtmpLimits;
  /** In the order they connected. */
  private readonly connections = new Set<RtmpSession>();
  private readonly perAddress: ConnectionLimiter;
  /** Addresses whose refusal at the per-address limit is logged already (until one of theirs closes). */
  private readonly refusedAddresses = new Set<string>();
  /** Evictions not yet logged, and when they last were: a flood must not flood the log too. */
  private evictions = { unlogged: 0, loggedAt: 0 };
  private readonly host: SessionHost;

  constructor(private readonly options: RtmpServerOptions) {
    this.limits = { ...DEFAULT_RTMP_LIMITS, ...options.limits };
    this.perAddress = new ConnectionLimiter(this.limits.connectionsPerAddress);
    this.host = {
      authorize: (key, remoteAddress) => options.authorize(key, remoteAddress),
      claim: (publish) => this.notify('publish', () => options.publish(publish)) ?? false,
      unpublished: (publish, reason) => this.notify('unpublish', () => options.unpublish?.(publish, reason)),
    };
    this.server = createServer((socket) => this.accept(socket));
    this.server.on('error', (error) => options.logger.error({ err: error }, 'rtmp server error'));
  }

  /** Starts listening; port 0 picks a free port. Resolves with the address bound. */
  listen(port: number, host = '0.0.0.0'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        const address = this.server.address() as AddressInfo;
        this.options.logger.info({ port: address.port, host: address.address }, 'rtmp ingest listening');
        resolve(address);
      });
    });
  }

  /** Stops accepting, ends every publish (`unpublish` with 'server-closing') and every connection. */
  async close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      // The callback comes once every connection has closed, too.
      if (this.server.listening) this.server.close(() => resolve());
      else resolve();
    });
    for (const session of this.connections) session.close('server-closing');
    await stopped;
  }

  private accept(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    if (!this.perAddress.hold(address, socket)) {
      if (!this.refusedAddresses.has(address)) {
        this.refusedAddresses.add(address);
        this.options.logger.warn(
          { remoteAddress: address, limit: this.limits.connectionsPerAddress },
          'rtmp connections from this address refused: at its limit of open connections (raise RATE_LIMIT_RTMP_PER_ADDRESS if several encoders share it)',
        );
      }
      socket.destroy();
      return;
    }
    socket.once('close', () => this.refusedAddresses.delete(address));
    if (this.connections.size >= this.limits.maxConnections && !this.evictOneWaiting()) {
      this.options.logger.warn({ limit: this.limits.maxConnections }, 'rtmp connection refused: every connection is publishing');
      socket.destroy();
      return;
    }
    const session = new RtmpSession(socket, this.limits, this.host, this.options.logger);
    this.connections.add(session);
    socket.once('close', () => this.connections.delete(session));
  }

  /** Closes the oldest connection that is not publishing; false when every one is. */
  private evictOneWaiting(): boolean {
    for (const session of this.connections) {
      if (session.publishing) continue;
      this.connections.delete(session);
      session.close('server-closing');
      this.logEviction();
      return true;
    }
    return false;
  }

  private logEviction(): void {
    this.evictions.unlogged += 1;
    const now = Date.now();
    if (now - this.evictions.loggedAt < EVICTION_LOG_INTERVAL_MS) return;
    this.options.logger.warn(
      { limit: this.limits.maxConnections, evicted: this.evictions.unlogged },
      'rtmp connection limit reached: closed the oldest connections that were not publishing (many connections that never publish: look for a flood)',
    );
    this.evictions = { unlogged: 0, loggedAt: now };
  }

  /** A throwing callback must not take the protocol state machine down with it; its answer is then undefined. */
  private notify<T>(callback: string, call: () => T): T | undefined {
    try {
      return call();
    } catch (error) {
      this.options.logger.error({ err: error, callback }, 'rtmp ingest callback threw');
      return undefined;
    }
  }
}

import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Readable } from 'node:stream';
import type { Component } from '../component.js';
import type { Authenticator } from '../api/auth.js';
import type { FlvSplicer } from '../media/flv-splicer.js';
import type { LiveReactions } from '../live/stream-state.js';
import type { DestinationView } from '../protocol/destinations.js';
import type { StreamService } from '../streams/stream-service.js';
import type { Stream } from '../streams/stream.js';
import type { Destination, DestinationRepository } from './destination-repository.js';
import { destinationRoutes } from './destination-routes.js';
import { Forwarder, type ForwardStatus } from './forwarder.js';

export interface ForwardingOptions {
  readonly destinations: DestinationRepository;
  readonly streams: StreamService;
  readonly auth: Authenticator;
  readonly ffmpegPath: string;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly retryDelay?: (failures: number) => number | undefined;
}

const IDLE: ForwardStatus = { state: 'idle', reason: null, retryAt: null };

/**
 * Forwarding (restream): while a stream is live, its encoder's media goes, unchanged, to
 * each of its destinations, one Forwarder (one ffmpeg) each. It starts when the stream goes
 * live, waits through a reconnect, holds while the stream is paused, and stops at the end; a destination added or removed
 * while live starts or stops at once. States are this node's (the one holding the encoder).
 *
 *   const forwarding = parts.add(new Forwarding(options));
 *   state.follow(forwarding.reactions);
 *   pipeline option `onSource: forwarding.source`
 */
export class Forwarding implements Component {
  private readonly splicers = new Map<string, FlvSplicer>();
  private readonly live = new Set<string>();
  private readonly paused = new Set<string>();
  private readonly forwarders = new Map<string, Map<string, Forwarder>>();

  constructor(private readonly options: ForwardingOptions) {}

  readonly reactions: LiveReactions = {
    transition: ({ stream }) => {
      if (stream.status === 'live') this.goLive(stream);
      else if (stream.status !== 'reconnecting') void this.stopAll(stream.id);
    },
    paused: (stream) => {
      if (stream.paused) this.paused.add(stream.id);
      else this.paused.delete(stream.id);
      for (const forwarder of this.forwarders.get(stream.id)?.values() ?? []) {
        if (stream.paused) void forwarder.stop('paused');
        else forwarder.start();
      }
    },
  };

  /** Each encoder connection's media, as the live pipeline hands it to the transcoder. */
  readonly source = (streamId: string, splicer: FlvSplicer): void => {
    this.splicers.set(streamId, splicer);
    for (const forwarder of this.forwarders.get(streamId)?.values() ?? []) forwarder.sourceChanged();
  };

  routes(http: FastifyInstance): void {
    destinationRoutes(http, { ...this.options, forwarding: this });
  }

  /** A destination's current state; idle when it is not being pushed here. */
  statusOf(destination: Destination): ForwardStatus {
    return this.forwarders.get(destination.streamId)?.get(destination.id)?.current ?? IDLE;
  }

  view(destination: Destination): DestinationView {
    const status = this.statusOf(destination);
    return {
      id: destination.id,
      name: destination.name,
      url: destination.url,
      key: destination.keyHint,
      state: status.state,
      reason: status.reason,
      retry_at: status.retryAt,
      created_at: destination.createdAt,
    };
  }

  /** A destination was added: it starts at once when the stream is live. */
  added(destination: Destination): void {
    if (this.live.has(destination.streamId)) this.begin(destination);
  }

  async removed(streamId: string, destinationId: string): Promise<void> {
    const forwarders = this.forwarders.get(streamId);
    const forwarder = forwarders?.get(destinationId);
    forwarders?.delete(destinationId);
    await forwarder?.stop();
  }

  /** Tries again, now, a destination that was given up. */
  retry(destination: Destination): void {
    const forwarder = this.forwarders.get(destination.streamId)?.get(destination.id);
    if (forwarder) forwarder.start();
    else this.added(destination);
  }

  async close(): Promise<void> {
    await Promise.all([...this.forwarders.keys()].map((streamId) => this.stopAll(streamId)));
  }

  private goLive(stream: Stream): void {
    const streamId = stream.id;
    if (stream.paused) this.paused.add(streamId);
    if (this.live.has(streamId)) return;
    this.live.add(streamId);
    this.options.destinations.list(streamId).then(
      (destinations) => {
        if (!this.live.has(streamId)) return;
        for (const destination of destinations) this.begin(destination);
      },
      (error: unknown) => this.options.logger.warn({ err: error, streamId }, 'reading the forwarding destinations failed; the stream is not forwarded'),
    );
  }

  private begin(destination: Destination): void {
    let forwarders = this.forwarders.get(destination.streamId);
    if (!forwarders) {
      forwarders = new Map();
      this.forwarders.set(destination.streamId, forwarders);
    }
    if (forwarders.has(destination.id)) return;
    const forwarder = new Forwarder({
      ffmpegPath: this.options.ffmpegPath,
      target: () => this.options.destinations.target(destination),
      source: () => this.tapOf(destination.streamId),
      logger: this.options.logger,
      destinationId: destination.id,
      ...(this.options.retryDelay && { retryDelay: this.options.retryDelay }),
    });
    forwarders.set(destination.id, forwarder);
    if (this.paused.has(destination.streamId)) void forwarder.stop('paused');
    else forwarder.start();
  }

  private tapOf(streamId: string): Readable | undefined {
    const splicer = this.splicers.get(streamId);
    return splicer && !splicer.isEnded ? splicer.tap() : undefined;
  }

  private async stopAll(streamId: string): Promise<void> {
    this.live.delete(streamId);
    this.paused.delete(streamId);
    this.splicers.delete(streamId);
    const forwarders = this.forwarders.get(streamId);
    this.forwarders.delete(streamId);
    await Promise.all([...(forwarders?.values() ?? [])].map((forwarder) => forwarder.stop()));
  }
}

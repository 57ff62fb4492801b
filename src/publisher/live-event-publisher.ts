import type { EventTemplate, VerifiedEvent } from 'nostr-tools/pure';
import type { Logger } from 'pino';
import { formatCoordinate, liveEventCoordinate } from '../protocol/coordinate.js';
import { KIND } from '../protocol/kinds.js';
import { buildLiveEvent, type LiveStatus } from '../protocol/live-event.js';
import type { NostrEvent } from '../protocol/nostr-event.js';
import type { Filter } from '../relay/filter.js';
import type { Verdict } from '../relay/relay.js';
import type { StatusChange } from '../streams/stream-service.js';
import { unixNow } from '../protocol/time.js';
import type { Stream } from '../streams/stream.js';
import { liveEventContent, liveStatusOf, type PublishingContext } from './live-event-content.js';
import type { RelayOutbox } from './relay-outbox.js';

export interface PublisherOptions {
  readonly servicePubkey: string;
  readonly sign: (template: EventTemplate) => VerifiedEvent;
  /** The built-in relay: events go through its store and out to its subscribers. */
  readonly relay: {
    keep(event: VerifiedEvent): Promise<Verdict>;
    query(filters: readonly Filter[]): Promise<NostrEvent[]>;
  };
  readonly outboxes: readonly RelayOutbox[];
  readonly context: PublishingContext;
  /** Re-reads a stream when a delayed update fires, so the newest state is published. */
  readonly load: (streamId: string) => Promise<Stream | undefined>;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** At most one update per stream this often, unless its live status changes. */
  readonly minIntervalMs?: number;
  /** A live stream is published again this often, so clients do not take it for dead. */
  readonly refreshIntervalMs?: number;
  /**
   * How long relays keep a live event (its NIP-40 expiration): three refreshes by default, so
   * a service that stops for good stops being shown live within minutes, not forever.
   */
  readonly liveLifetimeMs?: number;
  /** The expiration written on shutdown: live only as long as the stream would wait for its encoder. */
  readonly shutdownLifetimeMs?: number;
  /** How long shutdown waits for the external relays to take the last events. */
  readonly shutdownDrainMs?: number;
}

interface Published {
  readonly event: VerifiedEvent;
  readonly status: LiveStatus;
  readonly at: number;
}

/**
 * Keeps every public stream's kind 30311 on the built-in relay and the configured
 * external relays in step with the stream: at once when its live status changes (or an
 * ended stream's recording arrives), otherwise at most every 10 s, and again every
 * 5 minutes while it is live. Publishes of one stream run one after another, each built
 * from the stream as it is when its turn comes, so a newer event always gets a later
 * `created_at` than an older one and wins on every relay.
 *
 * A live event expires (NIP-40) three refreshes after it was signed, and the last one
 * signed at shutdown as soon as the stream's reconnect grace would have run out: a service
 * that never comes back leaves no stream shown live for ever, and one that comes back in
 * time publishes it again. Planned and ended events never expire: the ended one is the
 * stream's lasting record (its recording, its end).
 *
 *   const publisher = new LiveEventPublisher(options);
 *   streams.on('status', (change) => publisher.statusChanged(change));
 *   publisher.streamChanged(stream);   // counts, title, image, recording
 *   await publisher.close();           // last word to every relay, bounded in time
 */
export class LiveEventPublisher {
  private readonly published = new Map<string, Published>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  /** Per stream, the tail of its chain of publishes. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly refresh: NodeJS.Timeout;
  private readonly minIntervalMs: number;
  private readonly refreshIntervalMs: number;
  private readonly refreshTickMs: number;
  private readonly liveLifetimeMs: number;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: PublisherOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 10_000;
    this.refreshIntervalMs = options.refreshIntervalMs ?? 5 * 60_000;
    this.refreshTickMs = Math.min(this.refreshIntervalMs / 10, 30_000);
    this.liveLifetimeMs = options.liveLifetimeMs ?? 3 * this.refreshIntervalMs;
    this.refresh = setInterval(() => this.refreshLive(), this.refreshTickMs);
    this.refresh.unref();
  }

  statusChanged({ stream }: StatusChange): Promise<void> {
    return this.streamChanged(stream);
  }

  /** Publishes the stream now if its live status changed or it has not been published lately; else soon. */
  streamChanged(stream: Stream): Promise<void> {
    if (stream.visibility === 'private') return Promise.resolve();
    return this.serially(stream.id, () => this.update(stream.id));
  }

  /** The newest 30311 this service signed for the stream. */
  lastEvent(streamId: string): VerifiedEvent | undefined {
    return this.published.get(streamId)?.event;
  }

  /**
   * Publishes every live stream once more with the shutdown expiration (any publish from
   * here on gets it too), gives the external relays a few seconds to take what is pending,
   * then closes them.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.refresh);
      for (const timer of this.delayed.values()) clearTimeout(timer);
      this.delayed.clear();
      const live = [...this.published].filter(([, last]) => last.status === 'live').map(([streamId]) => streamId);
      await Promise.all(
        live.map((streamId) =>
          this.serially(streamId, async () => {
            const stream = await this.options.load(streamId);
            if (stream && stream.visibility !== 'private' && liveStatusOf(stream) === 'live') await this.publish(stream);
          }).catch((error: unknown) => this.options.logger.warn({ err: error, streamId }, 'publishing the live event at shutdown failed')),
        ),
      );
      const drainMs = this.options.shutdownDrainMs ?? 3000;
      await Promise.all(this.options.outboxes.map((outbox) => outbox.drain(drainMs)));
      for (const outbox of this.options.outboxes) outbox.close();
    })();
    return this.closing;
  }

  /** Runs `task` after every earlier publish of the stream has finished (failed or not). */
  private serially(streamId: string, task: () => Promise<void>): Promise<void> {
    const run = (this.queues.get(streamId) ?? Promise.resolve()).then(task);
    const tail = run.catch(() => undefined);
    this.queues.set(streamId, tail);
    void tail.then(() => {
      if (this.queues.get(streamId) === tail) this.queues.delete(streamId);
    });
    return run;
  }

  /** In the stream's turn: publish its freshest state now, or schedule it for when the rate limit allows. */
  private async update(streamId: string): Promise<void> {
    const stream = await this.options.load(streamId);
    if (!stream || stream.visibility === 'private') return;
    const last = this.published.get(streamId);
    const status = liveStatusOf(stream);
    const wait = last ? last.at + this.minIntervalMs - Date.now() : 0;
    // An ended stream changes once more at most (its recording arrives): final, so never held back.
    if (!last || last.status !== status || status === 'ended' || wait <= 0) {
      await this.publish(stream);
      return;
    }
    if (this.delayed.has(streamId)) return;
    const timer = setTimeout(() => {
      this.delayed.delete(streamId);
      this.later(streamId);
    }, wait);
    timer.unref();
    this.delayed.set(streamId, timer);
  }

  /** A publish from a timer: nobody awaits it, so its failure is logged here. */
  private later(streamId: string): void {
    this.serially(streamId, () => this.update(streamId)).catch((error: unknown) => {
      this.options.logger.warn({ err: error, streamId }, 'publishing the live event failed');
    });
  }

  private async publish(stream: Stream): Promise<void> {
    clearTimeout(this.delayed.get(stream.id));
    this.delayed.delete(stream.id);
    // A replaceable event only replaces one with an earlier created_at (or a lower id at the same second).
    const createdAt = Math.max(unixNow(), (await this.lastCreatedAt(stream.id)) + 1);
    const status = liveStatusOf(stream);
    const lifetimeMs = this.closing ? (this.options.shutdownLifetimeMs ?? this.liveLifetimeMs) : this.liveLifetimeMs;
    const expiration = status === 'live' ? createdAt + Math.ceil(lifetimeMs / 1000) : undefined;
    const content = { ...liveEventContent(stream, this.options.context), expiration };
    const event = this.options.sign(buildLiveEvent(content, createdAt));
    // Remembered before anything else is awaited: the next publish builds on this created_at.
    this.published.set(stream.id, { event, status, at: Date.now() });
    if (status === 'ended') this.forgetLater(stream.id);

    const verdict = await this.options.relay.keep(event);
    if (!verdict.accepted) {
      this.options.logger.warn({ streamId: stream.id, reason: verdict.message }, 'built-in relay refused the live event');
    }
    const address = formatCoordinate(liveEventCoordinate(this.options.servicePubkey, stream.id));
    for (const outbox of this.options.outboxes) outbox.enqueue(address, event);
    this.options.logger.info({ streamId: stream.id, status, eventId: event.id }, 'live event published');
  }
  /** After a restart the memory is empty: the relay still has the last event. */
  private async lastCreatedAt(streamId: string): Promise<number> {
    const remembered = this.published.get(streamId)?.event.created_at;
    if (remembered !== undefined) return remembered;
    const filter: Filter = {
      kinds: [KIND.liveEvent],
      authors: [this.options.servicePubkey],
      tags: new Map([['d', new Set([streamId])]]),
      limit: 1,
    };
    const [stored] = await this.options.relay.query([filter]);
    return stored?.created_at ?? 0;
  }

  /** Republishes each live stream whose event would be older than the refresh interval by the next tick. */
  private refreshLive(): void {
    const now = Date.now();
    for (const [streamId, last] of this.published) {
      if (last.status === 'live' && now + this.refreshTickMs - last.at > this.refreshIntervalMs) this.later(streamId);
    }
  }

  /** An ended stream's event is final; keep it a while for `lastEvent`, then drop it from memory. */
  private forgetLater(streamId: string): void {
    const timer = setTimeout(() => {
      if (this.published.get(streamId)?.status === 'ended') this.published.delete(streamId);
    }, 10 * 60_000);
    timer.unref();
  }
}

import type { EventTemplate, VerifiedEvent } from 'nostr-tools/pure';
import type { Logger } from 'pino';
import { KIND } from '../protocol/kinds.js';
import { buildLiveEvent, type LiveStatus, type NowPlayingTrack } from '../protocol/live-event.js';
import { RefusedEvent, type NostrStore } from '../protocol/nostr-store.js';
import type { StatusChange } from '../streams/stream-service.js';
import { unixNow } from '../protocol/time.js';
import type { Stream } from '../streams/stream.js';
import { eventAuthor } from '../signing/event-author.js';
import { liveEventContent, liveStatusOf, type PublishingContext } from './live-event-content.js';
import type { RelayOutbox } from './relay-outbox.js';

/** A streamer-signed stream's signer: its bunker, and the `ended` twin held for when the bunker is gone (StreamSigners). */
export interface StreamerSigners {
  sign(stream: Stream, template: EventTemplate): Promise<VerifiedEvent>;
  holdTwin(streamId: string, twin: VerifiedEvent): Promise<void>;
  heldTwin(streamId: string): Promise<VerifiedEvent | undefined>;
  /** The stream will not be signed again. */
  release(streamId: string): void;
}

export interface PublisherOptions {
  readonly servicePubkey: string;
  /** The service key, for service-signed streams. */
  readonly sign: (template: EventTemplate) => VerifiedEvent;
  /** Absent: a streamer-signed stream cannot be published (and cannot be created either). */
  readonly streamers?: StreamerSigners;
  /** Where a stream's recording will be once joined: an `ended` twin signed while live points at it. */
  readonly recordingUrl?: (streamId: string) => string;
  /**
   * The built-in relay: events pass its policies, are stored and go out to its subscribers;
   * read back after a restart for the last event's created_at.
   */
  readonly relay: NostrStore;
  /** The external relays, written through the same `event` as the built-in one; each delivers in the background. */
  readonly outboxes: readonly RelayOutbox[];
  readonly context: PublishingContext;
  /** An audio stream's cover picture (null for a video stream, whose live thumbnail is its picture). */
  readonly cover: (stream: Stream) => Promise<string | null>;
  /** Re-reads a stream when a delayed update fires, so the newest state is published. */
  readonly load: (streamId: string) => Promise<Stream | undefined>;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** At most one update per stream this often, unless its live status changes. */
  readonly minIntervalMs?: number;
  /** A new now-playing track waits only this long after the last publish: listeners should see it while it plays. */
  readonly trackIntervalMs?: number;
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
  /** The now-playing track it carried, as compared for a sooner publish. */
  readonly track: string | undefined;
  /** A streamer-signed live event's `ended` twin's created_at (one later): the next event must be later still. */
  readonly twinAt?: number;
}

interface Delayed {
  readonly timer: NodeJS.Timeout;
  /** Date.now() when it fires. */
  readonly due: number;
}

/**
 * Keeps every public stream's kind 30311 on the built-in relay and the configured
 * external relays in step with the stream: at once when its live status changes (or an
 * ended stream's recording arrives), within 2 s when its now-playing track changes,
 * otherwise at most every 10 s, and again every 5 minutes while it is live. Publishes of one stream run one after another, each built
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
  private readonly delayed = new Map<string, Delayed>();
  /** Per stream, the tail of its chain of publishes. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly refresh: NodeJS.Timeout;
  private readonly minIntervalMs: number;
  private readonly trackIntervalMs: number;
  private readonly refreshIntervalMs: number;
  private readonly refreshTickMs: number;
  private readonly liveLifetimeMs: number;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: PublisherOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 10_000;
    this.trackIntervalMs = options.trackIntervalMs ?? 2000;
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

  /**
   * Publishes every live stream once more with the shutdown expiration (any publish from
   * here on gets it too), gives the external relays a few seconds to take what is pending,
   * then closes them.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.refresh);
      for (const { timer } of this.delayed.values()) clearTimeout(timer);
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
    const interval = last && last.track !== this.trackOf(stream) ? this.trackIntervalMs : this.minIntervalMs;
    const wait = last ? last.at + interval - Date.now() : 0;
    // An ended stream changes once more at most (its recording arrives): final, so never held back.
    if (!last || last.status !== status || status === 'ended' || wait <= 0) {
      await this.publish(stream);
      return;
    }
    const due = Date.now() + wait;
    const pending = this.delayed.get(streamId);
    if (pending && pending.due <= due) return;
    clearTimeout(pending?.timer);
    const timer = setTimeout(() => {
      this.delayed.delete(streamId);
      this.later(streamId);
    }, wait);
    timer.unref();
    this.delayed.set(streamId, { timer, due });
  }

  private trackOf(stream: Stream): string | undefined {
    return trackKey(liveEventContent(stream, this.options.context, null).nowPlaying);
  }

  /** A publish from a timer: nobody awaits it, so its failure is logged here. */
  private later(streamId: string): void {
    this.serially(streamId, () => this.update(streamId)).catch((error: unknown) => {
      this.options.logger.warn({ err: error, streamId }, 'publishing the live event failed');
    });
  }

  private async publish(stream: Stream): Promise<void> {
    clearTimeout(this.delayed.get(stream.id)?.timer);
    this.delayed.delete(stream.id);
    const cover = await this.options.cover(stream);
    // A replaceable event only replaces one with an earlier created_at (or a lower id at the same second).
    const createdAt = Math.max(unixNow(), (await this.lastCreatedAt(stream)) + 1);
    const status = liveStatusOf(stream);
    const lifetimeMs = this.closing ? (this.options.shutdownLifetimeMs ?? this.liveLifetimeMs) : this.liveLifetimeMs;
    const expiration = status === 'live' ? createdAt + Math.ceil(lifetimeMs / 1000) : undefined;
    const content = { ...liveEventContent(stream, this.options.context, cover), expiration };
    const signed = await this.signed(stream, buildLiveEvent(content, createdAt), cover);
    if (!signed) return;
    const { event, twinAt } = signed;
    // Remembered before the relays are awaited: the next publish builds on this created_at.
    this.published.set(stream.id, { event, status, at: Date.now(), track: trackKey(content.nowPlaying), ...(twinAt && { twinAt }) });
    await this.send(stream, event, status);
    if (status === 'ended' && (stream.recordingUrl !== null || !stream.record)) this.options.streamers?.release(stream.id);
  }

  /**
   * The event signed by the stream's signer. A streamer-signed live event goes out only with
   * its `ended` twin signed and held, so whatever happens to the bunker the stream can be
   * ended; when the bunker cannot sign the end, the held twin is the end. undefined: nothing
   * to publish now (the bunker failed; the announced state stays as it was).
   */
  private async signed(
    stream: Stream,
    template: EventTemplate,
    cover: string | null,
  ): Promise<{ event: VerifiedEvent; twinAt?: number } | undefined> {
    if (stream.signer === 'service') return { event: this.options.sign(template) };
    const streamers = this.options.streamers;
    if (!streamers) throw new Error(`stream ${stream.id} is streamer-signed but this publisher has no bunker sessions`);
    const status = liveStatusOf(stream);
    try {
      const event = await streamers.sign(stream, template);
      if (status !== 'live') return { event };
      const twinAt = template.created_at + 1;
      const recordingUrl = stream.recordingUrl ?? (stream.record ? (this.options.recordingUrl?.(stream.id) ?? null) : null);
      const ended = { ...stream, status: 'ended' as const, endedAt: twinAt, nowPlaying: null, recordingUrl };
      await streamers.holdTwin(stream.id, await streamers.sign(stream, buildLiveEvent(liveEventContent(ended, this.options.context, cover), twinAt)));
      return { event, twinAt };
    } catch (error) {
      this.options.logger.warn(
        { err: error, streamId: stream.id, status },
        status === 'ended'
          ? "the streamer's bunker did not sign the end: publishing the ended event it signed ahead"
          : "the streamer's bunker did not sign the stream's update, so it is not published; the stream goes on, and ends with the ended event its bunker signed ahead if it stays away",
      );
      if (status !== 'ended') return undefined;
      return this.heldEnd(stream);
    }
  }

  /** The held twin, unless the relay already has it (or something newer). */
  private async heldEnd(stream: Stream): Promise<{ event: VerifiedEvent } | undefined> {
    const twin = await this.options.streamers?.heldTwin(stream.id);
    if (!twin) {
      this.options.logger.warn({ streamId: stream.id }, 'a streamer-signed stream ended before it was ever announced live: nothing to end on the relays');
      return undefined;
    }
    const stored = await this.storedCreatedAt(stream);
    return stored >= twin.created_at ? undefined : { event: twin };
  }

  private async send(stream: Stream, event: VerifiedEvent, status: LiveStatus): Promise<void> {
    let kept = true;
    try {
      await this.options.relay.event(event);
    } catch (error) {
      // A refusal is the relay's answer, not a failure of ours: the external relays still get the event.
      if (!(error instanceof RefusedEvent)) throw error;
      kept = false;
      this.options.logger.warn({ streamId: stream.id, reason: error.message }, 'built-in relay refused the live event');
    }
    // An ended stream's event is final: once the relay holds it, the relay remembers it (a
    // recording that comes later builds on the created_at stored there, as after a restart).
    if (status === 'ended' && kept) this.published.delete(stream.id);
    await Promise.all(this.options.outboxes.map((outbox) => outbox.event(event)));
    this.options.logger.info({ streamId: stream.id, status, eventId: event.id, pubkey: event.pubkey }, 'live event published');
  }

  /** After a restart the memory is empty: the relay still has the last event. */
  private async lastCreatedAt(stream: Stream): Promise<number> {
    const remembered = this.published.get(stream.id);
    if (remembered !== undefined) return Math.max(remembered.event.created_at, remembered.twinAt ?? 0);
    return this.storedCreatedAt(stream);
  }

  private async storedCreatedAt(stream: Stream): Promise<number> {
    const author = eventAuthor(stream, this.options.servicePubkey);
    const [stored] = await this.options.relay.query([{ kinds: [KIND.liveEvent], authors: [author], '#d': [stream.id], limit: 1 }]);
    return stored?.created_at ?? 0;
  }

  /** Republishes each live stream whose event would be older than the refresh interval by the next tick. */
  private refreshLive(): void {
    const now = Date.now();
    for (const [streamId, last] of this.published) {
      if (last.status === 'live' && now + this.refreshTickMs - last.at > this.refreshIntervalMs) this.later(streamId);
    }
  }
}

const trackKey = (track: NowPlayingTrack | undefined): string | undefined => track && JSON.stringify(track);

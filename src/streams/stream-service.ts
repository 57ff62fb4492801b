import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import type { StreamSettings, StreamUpdate } from '../protocol/stream-settings.js';
import { notStreamOwner, StreamError, streamNotFound } from './errors.js';
import { transition, WATCHABLE_STATUSES, type LifecycleEvent, type StreamStatus } from './lifecycle.js';
import { definedOnly, StatusJournal } from './status-journal.js';
import { generateStreamKey, hashStreamKey, looksLikeStreamKey } from './stream-keys.js';
import type { Page, StatusPatch, StreamPage, StreamRepository } from './stream-repository.js';
import { unixNow } from '../protocol/time.js';
import type { Stream } from './stream.js';

export interface StreamUrls {
  /** The OBS "Server" field, e.g. `rtmp://live.example.com:1935/live`. */
  readonly rtmpIngest: string;
  hlsPlayback(streamId: string): string;
}

export interface StatusChange {
  readonly stream: Stream;
  readonly from: StreamStatus;
}

export type PublishAuthorization =
  | { readonly ok: true; readonly stream: Stream }
  | { readonly ok: false; readonly reason: 'unknown_key' | 'stream_ended' };

/**
 * The stream service: creates streams, runs every status change through the lifecycle
 * table, and announces each change to whoever listens (the NIP-53 publisher, the
 * real-time WebSocket, the transcoder).
 *
 *   const service = new StreamService(repository, urls);
 *   service.on('status', ({ stream, from }) => ...);
 *   const { stream, streamKey } = await service.create(pubkey, settings);
 */
export interface StreamServiceOptions {
  /** How long a live stream whose encoder dropped waits for it to come back before it ends. */
  readonly reconnectGraceMs: number;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** How soon a status change the database could not take is tried again (first wait, longest wait). */
  readonly retryMs?: { readonly first: number; readonly max: number };
  /** Streamer-signed streams' bunker sessions; without it only service-signed streams can be made. */
  readonly signing?: StreamerSigning;
}

/** Opens a stream's NIP-46 session with the streamer's bunker, before the stream exists. */
export interface StreamerSigning {
  /**
   * Connects to the bunker and checks that it signs for `pubkey`, or throws a StreamError
   * (`signer_mismatch`, `signer_unreachable`). The session is stored by `keep` once the
   * stream is, or closed by `discard` when the stream could not be stored.
   */
  open(streamId: string, pubkey: string, bunker: string): Promise<OpenedSigner>;
}

export interface OpenedSigner {
  keep(): Promise<void>;
  discard(): void;
}

export class StreamService extends EventEmitter<{
  created: [Stream];
  status: [StatusChange];
  paused: [Stream];
  viewers: [Stream];
  updated: [Stream];
  /** The now-playing track was set or cleared (see NowPlaying). */
  track: [Stream];
}> {
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  /** Encoder-side changes are facts: kept and retried until stored, whatever the database's state. */
  private readonly journal: StatusJournal;

  constructor(
    private readonly repository: StreamRepository,
    private readonly urls: StreamUrls,
    private readonly options: StreamServiceOptions,
  ) {
    super();
    this.journal = new StatusJournal({
      store: (id, intent) => this.store(id, intent.event, () => intent.patch, Infinity),
      onChange: (id) => this.watchGrace(id),
      logger: options.logger,
      ...(options.retryMs && { retryMs: options.retryMs }),
    });
  }

  /** Status changes that happened but are not in the database yet (it was unreachable). */
  get pendingStatusChanges(): number {
    return this.journal.pendingCount;
  }

  async create(pubkey: string, settings: StreamSettings): Promise<{ stream: Stream; streamKey: string }> {
    const id = randomUUID();
    const signer = settings.signer === 'streamer' ? await this.openSigner(id, pubkey, settings.bunker) : undefined;
    const now = unixNow();
    const stream: Stream = {
      id,
      pubkey,
      title: settings.title,
      description: settings.description,
      category: settings.category,
      tags: settings.tags,
      visibility: settings.visibility,
      streamType: settings.stream_type,
      signer: settings.signer,
      enableChat: settings.enable_chat,
      record: settings.record,
      quality: settings.quality,
      status: 'created',
      statusReason: null,
      rtmpIngestUrl: this.urls.rtmpIngest,
      hlsPlaybackUrl: this.urls.hlsPlayback(id),
      startedAt: null,
      endedAt: null,
      currentViewers: 0,
      maxViewers: 0,
      totalViewers: 0,
      createdAt: now,
      updatedAt: now,
      paused: false,
      recordingUrl: null,
      thumbnailAt: null,
      imageUrl: settings.image,
      moderators: [],
      nowPlaying: null,
      goal: null,
      startsAt: settings.starts_at,
    };
    const streamKey = generateStreamKey();
    try {
      await this.repository.insert(stream, hashStreamKey(streamKey));
      await signer?.keep();
    } catch (error) {
      signer?.discard();
      throw error;
    }
    this.emit('created', stream);
    return { stream, streamKey };
  }

  private openSigner(streamId: string, pubkey: string, bunker: string | undefined): Promise<OpenedSigner> {
    if (!this.options.signing || bunker === undefined) {
      throw new StreamError('invalid', 'invalid_request', 'A streamer-signed stream needs a bunker:// URI, and this service must be able to reach bunkers.');
    }
    return this.options.signing.open(streamId, pubkey, bunker);
  }

  async get(id: string): Promise<Stream> {
    const stream = await this.repository.findById(id);
    if (!stream) throw streamNotFound(id);
    return stream;
  }

  /** The stream, provided `pubkey` owns it. Someone else's private stream is not found: a 403 would say it exists. */
  async getOwned(id: string, pubkey: string): Promise<Stream> {
    const stream = await this.get(id);
    if (stream.pubkey !== pubkey) throw stream.visibility === 'private' ? streamNotFound(id) : notStreamOwner();
    return stream;
  }

  async start(id: string, pubkey: string): Promise<Stream> {
    await this.getOwned(id, pubkey);
    return this.apply(id, 'start', () => ({ startedAt: unixNow(), statusReason: null }));
  }

  async stop(id: string, pubkey: string): Promise<Stream> {
    await this.getOwned(id, pubkey);
    return this.apply(id, 'stop', () => ({ endedAt: unixNow(), statusReason: 'stopped by the streamer', paused: false }));
  }

  /** Title, description, tags, moderators and image can change at any time before the end; the live event follows. */
  async update(id: string, pubkey: string, update: StreamUpdate): Promise<Stream> {
    const stream = await this.getOwned(id, pubkey);
    if (stream.status === 'ended') {
      throw new StreamError('conflict', 'stream_ended', 'This stream has ended; its details can no longer change.');
    }
    if (update.starts_at !== undefined && stream.startedAt !== null) {
      throw new StreamError('conflict', 'already_started', 'This stream has already gone live; its planned start can no longer change.');
    }
    await this.repository.updateInfo(id, update, unixNow());
    const updated = await this.get(id);
    this.emit('updated', updated);
    return updated;
  }

  /** Pause shows viewers a "be right back" slate; the stream stays live. */
  async setPaused(id: string, pubkey: string, paused: boolean): Promise<Stream> {
    const stream = await this.getOwned(id, pubkey);
    if (stream.paused === paused) return stream;
    if (!(await this.repository.setPaused(id, paused, unixNow()))) {
      throw new StreamError('conflict', 'not_live', `Only a live stream can be ${paused ? 'paused' : 'resumed'}; press “Start broadcast” first.`);
    }
    const changed = await this.get(id);
    this.emit('paused', changed);
    return changed;
  }

  /** The transcoder gave up: the owner reads `reason` in the stream's status. */
  async failed(id: string, reason: string): Promise<Stream> {
    // Like an end: the broadcast stopped here, so its duration stops growing.
    return this.encoderSide(id, 'failed', { statusReason: reason, paused: false, endedAt: unixNow() });
  }

  /**
   * The origin's latest counts; a stream that is no longer live keeps its final figures.
   * The origin counts since this process started, so peak and total never go down.
   */
  async updateViewers(id: string, counts: { current: number; peak: number; total: number }): Promise<void> {
    const stream = await this.get(id);
    if (!WATCHABLE_STATUSES.includes(stream.status)) return;
    await this.repository.setViewerCounts(
      id,
      { current: counts.current, peak: Math.max(stream.maxViewers, counts.peak), total: Math.max(stream.totalViewers, counts.total) },
      unixNow(),
    );
    this.emit('viewers', await this.get(id));
  }

  /** The recording arrives after the end: announced as an update, so the final 30311 and the status carry it. */
  async recordingReady(id: string, url: string): Promise<Stream> {
    await this.repository.setRecordingUrl(id, url, unixNow());
    const stream = await this.get(id);
    this.emit('updated', stream);
    return stream;
  }

  /** The first picture of the stream exists: its thumbnail is announced (30311 and API) from now on. */
  async thumbnailTaken(id: string): Promise<void> {
    if (await this.repository.setThumbnailAt(id, unixNow())) this.emit('updated', await this.get(id));
  }

  /** The preview's files are gone (the encoder left before Start): so is its picture. */
  async thumbnailDiscarded(id: string): Promise<void> {
    await this.repository.clearThumbnailAt(id, unixNow());
  }

  /** Stops the grace timers and retries; streams waiting for their encoder are handled on the next start. */
  close(): void {
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
    this.journal.close();
  }

  /** A new key for the stream; the old one stops working at once. */
  async regenerateKey(id: string, pubkey: string): Promise<{ stream: Stream; streamKey: string }> {
    const stream = await this.getOwned(id, pubkey);
    if (stream.status === 'ended') {
      throw new StreamError('conflict', 'stream_ended', 'This stream has ended; create a new stream to go live again.');
    }
    const streamKey = generateStreamKey();
    const keyHash = hashStreamKey(streamKey);
    await this.repository.replaceKeyHash(id, keyHash, unixNow());
    this.journal.rekey(id, keyHash);
    return { stream: await this.get(id), streamKey };
  }

  /** The check behind both `on_publish` and the built-in ingest: the current key of a stream that has not ended. */
  async authorizePublish(streamKey: string): Promise<PublishAuthorization> {
    if (!looksLikeStreamKey(streamKey)) return { ok: false, reason: 'unknown_key' };
    const stream = await this.findPublisher(hashStreamKey(streamKey));
    if (!stream) return { ok: false, reason: 'unknown_key' };
    if (stream.status === 'ended') return { ok: false, reason: 'stream_ended' };
    return { ok: true, stream };
  }

  async encoderConnected(id: string): Promise<Stream> {
    // Coming back from `error` clears the failure's end time; the stream can go live again.
    return this.encoderSide(id, 'encoder_connected', { statusReason: null, endedAt: null });
  }

  async encoderDisconnected(id: string): Promise<Stream> {
    return this.encoderSide(id, 'encoder_disconnected', {});
  }

  /**
   * The stream a key opens, as it will be once pending changes are stored. While the database
   * is unreachable, an encoder that was publishing here can come back on what this node knows.
   */
  private async findPublisher(keyHash: string): Promise<Stream | undefined> {
    try {
      const stream = await this.repository.findByKeyHash(keyHash);
      if (!stream) return undefined;
      this.journal.remember(stream, keyHash);
      // A stored end is final; anything else may have moved on in changes not stored yet.
      return stream.status === 'ended' ? stream : (this.journal.current(stream.id) ?? stream);
    } catch (error) {
      const known = this.journal.byKeyHash(keyHash);
      if (!known || !isDatabaseUnavailable(error)) throw error;
      this.options.logger.warn(
        { streamId: known.id, err: error },
        'The database is unreachable: letting the encoder of a stream this node knows back in on the state kept in memory',
      );
      return known;
    }
  }

  /** A change the encoder side reports: it happened, so it goes through the journal and is stored sooner or later. */
  private async encoderSide(id: string, event: LifecycleEvent, patch: StatusPatch): Promise<Stream> {
    if (!this.journal.knows(id)) {
      this.journal.remember(await this.get(id));
      // An ended stream is not kept: the lifecycle answers from its stored status.
      if (!this.journal.knows(id)) return this.apply(id, event, () => patch);
    }
    return this.journal.submit(id, { event, patch });
  }

  async listWatchable(filter: { category?: string; tag?: string }, page: Page): Promise<StreamPage> {
    return this.repository.list({ ...filter, statuses: WATCHABLE_STATUSES, publicOnly: true, order: 'popular' }, page);
  }

  /** Streams whose status says an encoder is (or was just) connected. */
  async listAttached(): Promise<Stream[]> {
    const page = await this.repository.list(
      { statuses: ['connected', 'live', 'reconnecting'], publicOnly: false, order: 'newest' },
      { limit: 10_000, offset: 0 },
    );
    return page.streams;
  }

  /** The user's streams, newest first; private ones only for the owner. */
  async listByUser(pubkey: string, isOwner: boolean, page: Page): Promise<StreamPage> {
    return this.repository.list({ pubkey, publicOnly: !isOwner, order: 'newest' }, page);
  }

  /** The stream the user is on air with now; the owner also sees one that is only connected (preview). */
  async currentFor(pubkey: string, isOwner: boolean): Promise<Stream | undefined> {
    const statuses: StreamStatus[] = isOwner ? ['connected', ...WATCHABLE_STATUSES] : [...WATCHABLE_STATUSES];
    const page = await this.repository.list(
      { pubkey, statuses, publicOnly: !isOwner, order: 'newest' },
      { limit: 1, offset: 0 },
    );
    return page.streams[0];
  }

  /** A change the streamer asks for: it needs the database now (a failure reaches the caller). */
  private async apply(id: string, event: LifecycleEvent, patch: () => StatusPatch): Promise<Stream> {
    const stream = await this.store(id, event, patch, 3);
    this.watchGrace(id);
    return stream;
  }

  /**
   * Runs `event` through the lifecycle table against the stored status, compare-and-set. A
   * lost race (another request changed the status first) is retried against the new status.
   */
  private async store(id: string, event: LifecycleEvent, patch: () => StatusPatch, attempts: number): Promise<Stream> {
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const current = await this.get(id);
      const step = transition(current.status, event);
      if (!step.ok) throw new StreamError('conflict', step.error, step.message);
      if (step.to === current.status) return current;
      // However it ends, nothing plays after the end; the timeline keeps what was played.
      const changes: StatusPatch = step.to === 'ended' ? { ...patch(), nowPlaying: null } : patch();
      const now = unixNow();
      if (await this.repository.changeStatus(id, current.status, step.to, changes, now)) {
        // Built from what was written rather than read back: a read failing now would hide a stored change.
        const stream: Stream = { ...current, ...definedOnly(changes), status: step.to, updatedAt: now };
        this.journal.stored(stream);
        this.emit('status', { stream, from: current.status });
        return stream;
      }
    }
    throw new StreamError('conflict', 'status_changed', 'The stream changed while handling this request; try again.');
  }

  /** A stream that was reconnecting when this node started: its encoder gets the whole grace period again. */
  watchGracePeriod(stream: Stream): void {
    this.journal.remember(stream);
    this.watchGrace(stream.id);
  }

  /**
   * A stream that lost its encoder while live ends unless the encoder is back in time. The
   * timer follows the expected status, so it runs from the drop even while the database is
   * unreachable, and its expiry is stored once the database is back.
   */
  private watchGrace(id: string): void {
    const waiting = this.journal.current(id)?.status === 'reconnecting';
    const timer = this.graceTimers.get(id);
    if (!waiting) {
      clearTimeout(timer);
      this.graceTimers.delete(id);
      return;
    }
    if (timer) return;
    const seconds = Math.round(this.options.reconnectGraceMs / 1000);
    const expire = setTimeout(() => {
      this.graceTimers.delete(id);
      this.encoderSide(id, 'grace_expired', {
        endedAt: unixNow(),
        statusReason: `the encoder did not reconnect within ${seconds} s`,
        paused: false,
      }).catch((error: unknown) => this.options.logger.warn({ err: error, streamId: id }, 'ending the stream failed'));
    }, this.options.reconnectGraceMs);
    expire.unref();
    this.graceTimers.set(id, expire);
  }
}

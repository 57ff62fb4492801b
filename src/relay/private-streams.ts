import type { FastifyBaseLogger } from 'fastify';
import type { NostrEvent } from '../protocol/nostr-event.js';
import { canModerate, type OurCoordinates, type OurStream, type StreamDirectory } from './policies/stream-directory.js';

/** Checks a stream's playback token (the origin's `PlaybackTokens`): truthy when it opens the stream now. */
export interface StreamTokens {
  verify(token: string, streamId: string): unknown;
}

/**
 * What one connection may read of private streams: the pubkeys it proved with NIP-42 AUTH
 * (a host or moderator reads their own streams) and the stream tokens its AUTH events
 * carried (a viewer with the shared link). Bounded, since each AUTH adds to it.
 */
export class StreamAccess {
  static readonly MAX_ENTRIES = 20;
  readonly pubkeys = new Set<string>();
  /** Stream id → the token that opened it, checked again on each use so an expired link stops working. */
  readonly tokens = new Map<string, string>();

  get full(): boolean {
    return this.pubkeys.size + this.tokens.size >= StreamAccess.MAX_ENTRIES;
  }
}

/** One of our streams an event names by its `a` tag; `stream` is undefined when there is no such stream. */
export interface NamedStream {
  readonly streamId: string;
  readonly stream: OurStream | undefined;
}

/**
 * The rule that keeps a private stream's chat, reactions and reports to its viewers: an
 * event that names a private stream (by `a` tag) is served only to connections whose AUTH
 * names its host or a moderator, or carried the stream's token. Writes keep the invariant
 * that every event about a private stream names it (PrivateStreamPolicy), so the event
 * alone says who may read it, on this node and on every node the bus reaches.
 *
 *   const privacy = new PrivateStreams(ours, directory, tokens, logger);
 *   const shown = await privacy.readable(events, connection.access);
 */
export class PrivateStreams {
  constructor(
    private readonly ours: OurCoordinates,
    private readonly streams: StreamDirectory,
    private readonly tokens: StreamTokens,
    private readonly logger: Pick<FastifyBaseLogger, 'warn'>,
  ) {}

  /** Our streams the event names, looked up (a lookup failure rejects). */
  async named(event: Pick<NostrEvent, 'tags'>): Promise<NamedStream[]> {
    return Promise.all(
      this.ours.named(event).map(async ({ streamId }) => ({ streamId, stream: await this.streams.find(streamId) })),
    );
  }

  /** True when `access` (or the event's own author, for writes) may see what concerns this stream. */
  allows(access: StreamAccess | undefined, streamId: string, stream: OurStream, author?: string): boolean {
    if (!stream.isPrivate) return true;
    if (author !== undefined && canModerate(stream, author)) return true;
    if (!access) return false;
    if ([...access.pubkeys].some((pubkey) => canModerate(stream, pubkey))) return true;
    const token = access.tokens.get(streamId);
    return token !== undefined && Boolean(this.tokens.verify(token, streamId));
  }

  /**
   * Who may read the event, decided once for every subscriber it is delivered to. When a
   * stream cannot be looked up the answer is nobody: a private stream's chat must not leak
   * because the database hiccupped.
   */
  async readers(event: NostrEvent): Promise<(access: StreamAccess | undefined) => boolean> {
    if (this.ours.named(event).length === 0) return () => true;
    try {
      const named = await this.named(event);
      return (access) => named.every(({ streamId, stream }) => !stream || this.allows(access, streamId, stream));
    } catch (error) {
      this.logger.warn({ err: error, eventId: event.id }, 'could not look up the stream an event names; it is withheld until the database answers');
      return () => false;
    }
  }

  async readable(events: NostrEvent[], access: StreamAccess | undefined): Promise<NostrEvent[]> {
    const readers = await Promise.all(events.map((event) => this.readers(event)));
    return events.filter((_, index) => readers[index]?.(access));
  }
}

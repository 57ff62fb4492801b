import type { IngestStatsSnapshot } from '../ingest/ingest-stats.js';
import type { PublishSession } from '../ingest/rtmp/publish-session.js';
import type { StreamType } from '../protocol/stream-settings.js';

/** A connected encoder's figures, and what the pipeline found it sends (null until it knows). */
export interface IngestReading {
  readonly stats: IngestStatsSnapshot;
  readonly sending: StreamType | null;
}

/**
 * The one record of which encoder publishes to which stream on this node. The RTMP ingest
 * asks it before taking a publish; the live figures (health, bitrate) are read from it.
 *
 *   if (!publishers.claim(session)) refuse('already publishing');
 *   publishers.release(session);   // true when it was the stream's publisher
 */
export class Publishers {
  private readonly sessions = new Map<string, PublishSession>();
  private readonly sending = new WeakMap<PublishSession, StreamType>();

  /** Takes the session's stream; false while another session holds it. */
  claim(session: PublishSession): boolean {
    if (this.sessions.has(session.streamId)) return false;
    this.sessions.set(session.streamId, session);
    return true;
  }

  /** Frees the stream, provided `session` is the one holding it. */
  release(session: PublishSession): boolean {
    if (this.sessions.get(session.streamId) !== session) return false;
    this.sessions.delete(session.streamId);
    return true;
  }

  get(streamId: string): PublishSession | undefined {
    return this.sessions.get(streamId);
  }

  /** True while `session` is the publisher of its stream (it was not replaced or released). */
  holds(session: PublishSession): boolean {
    return this.sessions.get(session.streamId) === session;
  }

  /** What the pipeline found the session sends, as it chose the ladder: the health reports it. */
  found(session: PublishSession, sending: StreamType): void {
    this.sending.set(session, sending);
  }

  /** The figures of a stream whose encoder is connected here, with what it sends. */
  reading(streamId: string): IngestReading | undefined {
    const session = this.sessions.get(streamId);
    return session && { stats: session.stats(), sending: this.sending.get(session) ?? null };
  }

  /** The ingest health of a stream whose encoder is connected here. */
  health(streamId: string): IngestStatsSnapshot | undefined {
    return this.sessions.get(streamId)?.stats();
  }

  ingestKbps(): Map<string, number> {
    const rates = new Map<string, number>();
    for (const [streamId, session] of this.sessions) rates.set(streamId, session.stats().bitrateKbps ?? 0);
    return rates;
  }

  /** The publishes live now, in the order they started. */
  all(): PublishSession[] {
    return [...this.sessions.values()];
  }
}

import type { Logger } from 'pino';
import type { StreamStatus } from '../streams/lifecycle.js';
import type { StatusChange, StreamService } from '../streams/stream-service.js';
import type { Stream } from '../streams/stream.js';

/**
 * What the parts of a live broadcast do when the stream moves: each part names the moments
 * it acts on, and `StreamState` calls them in the order the parts were followed (that order
 * matters: the last metrics sample reads the viewer counts before the origin forgets them).
 * A reaction does its own error handling: one that throws is logged and does not stop the others.
 */
export interface LiveReactions {
  /** A new stream: nothing is broadcast yet, but its announcement can go out. */
  readonly created?: (stream: Stream) => void;
  /** Any status change, before the named moments below. */
  readonly transition?: (change: StatusChange) => void;
  /** The encoder left before Start (connected → created): nothing was broadcast. */
  readonly previewDiscarded?: (stream: Stream) => void;
  /** A live stream lost its encoder (live → reconnecting) and waits out the grace period. */
  readonly dropped?: (stream: Stream) => void;
  /** The broadcast is over: the stream ended, or failed; `from` is the status it left. */
  readonly ended?: (stream: Stream, from: StreamStatus) => void;
  /** Paused (the slate is shown) or resumed. */
  readonly paused?: (stream: Stream) => void;
  /** The streamer edited it, or its recording became ready. */
  readonly updated?: (stream: Stream) => void;
  /** The streamer set or cleared the now-playing track. */
  readonly track?: (stream: Stream) => void;
  readonly viewers?: (stream: Stream) => void;
  /**
   * This part also acts on changes made on other nodes of a cluster (heard through Redis):
   * the ingest (a stop reaching another node still disconnects the encoder here), the origin's
   * caches, the real-time feed. Parts that act once per change (announcing it, sampling) leave it unset.
   */
  readonly everyNode?: true;
}

/** The moments another node's change can be: its status, or one of the named updates. */
export type HeardMoment = 'paused' | 'updated' | 'track' | 'viewers';

/**
 * The stream at runtime, as the lifecycle moves it: the one listener to the stream service's
 * announcements, handing each to the parts of the broadcast (transcoder, recording, metrics,
 * real-time feed, announcements, caches) by the moment it is.
 *
 *   const state = new StreamState(streams, logger);
 *   state.follow(sampler.reactions);
 *   state.follow({ dropped: (stream) => ... });
 */
export class StreamState {
  private readonly reactions: LiveReactions[] = [];

  constructor(
    streams: StreamService,
    private readonly logger: Pick<Logger, 'error'>,
  ) {
    streams.on('created', (stream) => this.each('created', (r) => r.created?.(stream)));
    streams.on('status', (change) => this.statusChanged(change));
    streams.on('paused', (stream) => this.each('paused', (r) => r.paused?.(stream)));
    streams.on('updated', (stream) => this.each('updated', (r) => r.updated?.(stream)));
    streams.on('viewers', (stream) => this.each('viewers', (r) => r.viewers?.(stream)));
    streams.on('track', (stream) => this.each('track', (r) => r.track?.(stream)));
  }

  follow(reactions: LiveReactions): void {
    this.reactions.push(reactions);
  }

  /**
   * Reactions that come before every other part's: the ingest's. An end closes the encoder's
   * connection first, so what reports on the stream (its last metrics sample, its final
   * announcement) sees the encoder gone.
   */
  lead(reactions: LiveReactions): void {
    this.reactions.unshift(reactions);
  }

  /** Another node changed the stream's status: the parts that act on every node's changes see it. */
  heardStatus(change: StatusChange): void {
    this.statusChanged(change, true);
  }

  /** Another node paused, edited or counted the stream: the parts that act on every node's changes see it. */
  heard(moment: HeardMoment, stream: Stream): void {
    this.each(moment, (r) => r[moment]?.(stream), true);
  }

  /** Each part sees the transition and then its moment before the next part sees either. */
  private statusChanged(change: StatusChange, elsewhere = false): void {
    const { stream, from } = change;
    const moment = momentOf(change);
    this.each(moment ?? 'transition', (r) => {
      r.transition?.(change);
      if (moment === 'ended') r.ended?.(stream, from);
      else if (moment) r[moment]?.(stream);
    }, elsewhere);
  }

  private each(moment: keyof LiveReactions, react: (reactions: LiveReactions) => void, elsewhere = false): void {
    for (const reactions of this.reactions) {
      if (elsewhere && !reactions.everyNode) continue;
      try {
        react(reactions);
      } catch (error) {
        this.logger.error({ err: error, moment }, 'a live stream reaction threw: a bug, the other parts still acted');
      }
    }
  }
}

function momentOf({ stream, from }: StatusChange): 'ended' | 'previewDiscarded' | 'dropped' | undefined {
  if (stream.status === 'ended' || stream.status === 'error') return 'ended';
  if (from === 'connected' && stream.status === 'created') return 'previewDiscarded';
  if (from === 'live' && stream.status === 'reconnecting') return 'dropped';
  return undefined;
}

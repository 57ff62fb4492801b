import type { ClusterNode } from './node.js';

/**
 * Which node holds which stream: the one whose disk has the stream's live window, because its
 * ingest took the encoder (and, after the encoder left, until the window is gone or another
 * node took the encoder over). The origin proxy asks it where to fetch a stream from; a
 * restarted node asks it which of the attached streams were its own.
 *
 *   await holders.claim(streamId);                 // this node's ingest took the encoder
 *   (await holders.holderOf(streamId))?.url;       // where the stream's playlists are
 *   holders.onLost((streamId) => dropTranscoder(streamId));
 */
export interface HolderRegistry {
  readonly self: ClusterNode;
  /** Records this node as the stream's holder (a newer claim, by any node, wins) and keeps the record fresh. */
  claim(streamId: string): Promise<void>;
  /** This node no longer has the stream's window: the record goes, unless another node's claim replaced it. */
  release(streamId: string): Promise<void>;
  /** True while this node holds the stream: claimed here, not released, not taken over. */
  holds(streamId: string): boolean;
  /** The node holding the stream (this one included), or undefined when none does. */
  holderOf(streamId: string): Promise<ClusterNode | undefined>;
  /** Another node claimed a stream this one held (its encoder moved there). */
  onLost(listener: (streamId: string) => void): void;
  /**
   * Stops keeping the records fresh. They stay until they expire, so a node that restarts
   * within the expiry still finds the streams it held (and one that does not come back lets them go).
   */
  close(): Promise<void>;
}

/**
 * One process is the whole cluster: every stream with a window is held here, and no other
 * node can take one over.
 *
 *   const holders = new LocalHolderRegistry(config.node);
 */
export class LocalHolderRegistry implements HolderRegistry {
  private readonly held = new Set<string>();

  constructor(readonly self: ClusterNode) {}

  async claim(streamId: string): Promise<void> {
    this.held.add(streamId);
  }

  async release(streamId: string): Promise<void> {
    this.held.delete(streamId);
  }

  holds(streamId: string): boolean {
    return this.held.has(streamId);
  }

  async holderOf(streamId: string): Promise<ClusterNode | undefined> {
    return this.held.has(streamId) ? this.self : undefined;
  }

  onLost(): void {
    // No other node can take a stream over: nothing is ever lost here.
  }

  async close(): Promise<void> {
    this.held.clear();
  }
}

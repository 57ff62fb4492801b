import type { Logger } from 'pino';
import type { SegmentStore } from '../segments/segment-store.js';
import type { HolderRegistry } from './holder-registry.js';
import { copyLiveWindow } from './window-handover.js';

/**
 * The live pipeline's side of holding streams in a cluster: taking a stream when this node's
 * ingest takes its encoder (continuing the window another node held, see copyLiveWindow),
 * letting it go when its window is gone, and hearing when another node took it over.
 *
 *   const holding = new StreamHolding(holders, segments, logger);
 *   await holding.take(streamId);    // before the stream's transcoder starts here
 *   await holding.leave(streamId);   // its live window is gone from this node
 */
export class StreamHolding {
  constructor(
    private readonly holders: HolderRegistry,
    private readonly segments: SegmentStore,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
  ) {}

  /**
   * This node's ingest took the stream's encoder. When another node held the stream, its
   * window is copied here first (the old holder still serves viewers meanwhile), then the
   * claim moves viewers on every node to this one. A copy that fails leaves a fresh window.
   */
  async take(streamId: string): Promise<void> {
    // Never throws: the broadcast goes on here whatever the cluster's state (the pipeline awaits this late).
    try {
      if (!this.holders.holds(streamId)) await this.continueFromPrevious(streamId);
      await this.holders.claim(streamId);
    } catch (error) {
      this.logger.warn({ err: error, streamId }, 'recording this node as the stream holder in Redis failed; other nodes cannot serve the stream until it is');
    }
  }

  private async continueFromPrevious(streamId: string): Promise<void> {
    const previous = await this.holders.holderOf(streamId).catch(() => undefined);
    if (!previous || previous.id === this.holders.self.id) return;
    try {
      // Anything left from an earlier time here is older than what the other node has.
      await this.segments.clearLiveWindow(streamId);
      const files = await copyLiveWindow(previous, streamId, { self: this.holders.self, segments: this.segments });
      this.logger.info({ streamId, from: previous.id, files }, 'continuing the live window of the node that held the stream');
    } catch (error) {
      this.logger.warn({ err: error, streamId, from: previous.id }, 'copying the live window from the node that held the stream failed; its playlists start over from the first segment here');
    }
  }

  /** The stream's live window is gone from this node (ended and cleared, discarded, or taken over). */
  async leave(streamId: string): Promise<void> {
    await this.holders.release(streamId).catch((error: unknown) => {
      this.logger.warn({ err: error, streamId }, 'clearing the stream holder record in Redis failed; it lapses by itself');
    });
  }

  /** Another node took the stream's encoder: this node's transcoder for it has nothing more to do. */
  onLost(listener: (streamId: string) => void): void {
    this.holders.onLost(listener);
  }
}

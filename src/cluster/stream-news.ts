import type { IngestReading } from '../live/publishers.js';
import type { StreamStatus } from '../protocol/stream-status.js';

/** What changed about a stream on one node, for the others; they read the stream itself from the database. */
export type StreamNewsItem =
  | { readonly kind: 'status'; readonly streamId: string; readonly from: StreamStatus }
  | { readonly kind: 'paused' | 'updated' | 'track' | 'viewers'; readonly streamId: string }
  /** The holder's encoder figures, every second while the encoder is connected there. */
  | { readonly kind: 'health'; readonly streamId: string; readonly reading: IngestReading };

/**
 * Stream changes between the nodes of a cluster: a status change, a pause or a new viewer
 * count happens on one node (the one the request or the encoder reached), and the real-time
 * feed, the origin and the ingest on every other node act on it too.
 *
 *   news.onNews((item) => …);          // items told by other nodes, never this one's own
 *   news.tell({ kind: 'viewers', streamId });
 */
export interface StreamNews {
  tell(item: StreamNewsItem): void;
  onNews(listener: (item: StreamNewsItem) => void): void;
  close(): Promise<void>;
}

/** One process: there is no other node to tell or to hear from. */
export class LocalStreamNews implements StreamNews {
  tell(): void {
    // Nobody else to tell.
  }

  onNews(): void {
    // Nobody else to hear from.
  }

  async close(): Promise<void> {
    // Nothing held.
  }
}

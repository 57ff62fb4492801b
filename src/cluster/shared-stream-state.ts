import type { Logger } from 'pino';
import type { Component } from '../component.js';
import type { IngestReading, Publishers } from '../live/publishers.js';
import type { StreamState } from '../live/stream-state.js';
import type { Stream } from '../streams/stream.js';
import type { StreamNews, StreamNewsItem } from './stream-news.js';

export interface SharedStreamStateOptions {
  readonly state: StreamState;
  readonly news: StreamNews;
  /** The stream as stored now: another node's change is read back from the database, not from the message. */
  readonly load: (streamId: string) => Promise<Stream | undefined>;
  readonly publishers: Publishers;
  readonly logger: Pick<Logger, 'warn'>;
  readonly healthIntervalMs?: number;
}

/** Another node's encoder figures older than this are not shown: that node stopped telling. */
const READING_FRESH_MS = 3000;

/**
 * One stream state over the cluster: this node's changes are told to the other nodes, and
 * theirs are handed to the parts here that act on every node's changes (`everyNode`); the
 * encoder figures of the streams held here go out every second, and those of streams held
 * elsewhere are kept for the feed and the API.
 *
 *   const shared = parts.add(new SharedStreamState({ state, news, load, publishers, logger }));
 *   const health = (id) => publishers.reading(id) ?? shared.reading(id);
 */
export class SharedStreamState implements Component {
  private readonly readings = new Map<string, { readonly at: number; readonly reading: IngestReading }>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: SharedStreamStateOptions) {
    const tell = (item: StreamNewsItem) => options.news.tell(item);
    options.state.follow({
      transition: ({ stream, from }) => tell({ kind: 'status', streamId: stream.id, from }),
      paused: (stream) => tell({ kind: 'paused', streamId: stream.id }),
      updated: (stream) => tell({ kind: 'updated', streamId: stream.id }),
      track: (stream) => tell({ kind: 'track', streamId: stream.id }),
      viewers: (stream) => tell({ kind: 'viewers', streamId: stream.id }),
    });
    options.news.onNews((item) => this.heard(item));
    this.timer = setInterval(() => this.tellHealth(), options.healthIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** The figures of an encoder connected to another node, while that node keeps sending them. */
  reading(streamId: string): IngestReading | undefined {
    const known = this.readings.get(streamId);
    if (!known) return undefined;
    if (Date.now() - known.at <= READING_FRESH_MS) return known.reading;
    this.readings.delete(streamId);
    return undefined;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private tellHealth(): void {
    for (const session of this.options.publishers.all()) {
      const reading = this.options.publishers.reading(session.streamId);
      if (reading) this.options.news.tell({ kind: 'health', streamId: session.streamId, reading });
    }
  }

  private heard(item: StreamNewsItem): void {
    if (item.kind === 'health') {
      if (this.readings.size >= 10_000) this.readings.clear();
      this.readings.set(item.streamId, { at: Date.now(), reading: item.reading });
      return;
    }
    void this.options.load(item.streamId).then(
      (stream) => {
        if (!stream) return;
        if (item.kind === 'status') this.options.state.heardStatus({ stream, from: item.from });
        else this.options.state.heard(item.kind, stream);
      },
      (error: unknown) => this.options.logger.warn({ err: error, streamId: item.streamId }, "reading a stream another node changed failed; this node's feed shows the change with the next one"),
    );
  }
}

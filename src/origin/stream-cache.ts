import type { Stream } from '../streams/stream.js';

interface Entry {
  /** When the lookup in `stream` started. */
  readonly at: number;
  readonly stream: Promise<Stream | undefined>;
}

/**
 * A one-second memory of stream lookups: every viewer fetches a playlist every couple of
 * seconds and a segment as often, and all of them ask about the same few streams. When a
 * lookup fails (the database is unreachable), the last answer that succeeded stands in, so
 * playback goes on; a failure itself is never remembered, and with no earlier answer it
 * reaches the caller.
 *
 *   const cache = new StreamCache((id) => repository.findById(id));
 *   streams.on('status', ({ stream }) => cache.forget(stream.id));   // a change is seen at once
 *   const stream = await cache.get(id);
 */
export class StreamCache {
  private readonly entries = new Map<string, Entry>();
  /** The last successful answer per stream, kept beyond the time to live for when lookups fail. */
  private readonly lastKnown = new Map<string, Stream | undefined>();

  constructor(
    private readonly load: (id: string) => Promise<Stream | undefined>,
    private readonly ttlMs = 1000,
    private readonly maxEntries = 10_000,
  ) {}

  get(id: string): Promise<Stream | undefined> {
    const now = Date.now();
    const entry = this.entries.get(id);
    if (entry && now - entry.at < this.ttlMs) return entry.stream;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    if (this.lastKnown.size >= this.maxEntries) this.lastKnown.clear();
    const stream = this.load(id).then(
      (loaded) => {
        this.lastKnown.set(id, loaded);
        return loaded;
      },
      (error: unknown) => {
        if (!this.lastKnown.has(id)) {
          if (this.entries.get(id)?.stream === stream) this.entries.delete(id);
          throw error;
        }
        // The stale answer serves until the next lookup, one time to live later: a database
        // that is down is asked once a second per stream, not once per viewer request.
        return this.lastKnown.get(id);
      },
    );
    this.entries.set(id, { at: now, stream });
    return stream;
  }

  /** The next lookup asks again; the last answer still stands in if that lookup fails. */
  forget(id: string): void {
    this.entries.delete(id);
  }
}

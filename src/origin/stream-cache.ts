import type { Stream } from '../streams/stream.js';

/**
 * A one-second memory of stream lookups: every viewer fetches a playlist every couple of
 * seconds and a segment as often, and all of them ask about the same few streams.
 *
 *   const cache = new StreamCache((id) => repository.findById(id));
 *   streams.on('status', ({ stream }) => cache.forget(stream.id));   // a change is seen at once
 *   const stream = await cache.get(id);
 */
export class StreamCache {
  private readonly entries = new Map<string, { at: number; stream: Promise<Stream | undefined> }>();

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
    const stream = this.load(id).catch((error: unknown) => {
      this.entries.delete(id);
      throw error;
    });
    this.entries.set(id, { at: now, stream });
    return stream;
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}

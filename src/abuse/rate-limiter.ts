/**
 * How many times a key (a pubkey, an address) may do something per window: a fixed-window
 * counter, cheap enough to sit in front of every chat message and API call.
 *
 *   const chat = new RateLimiter({ limit: 20, windowMs: 60_000 });
 *   const wait = chat.take(pubkey);   // 0: allowed; otherwise seconds until it is
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(
    private readonly options: { limit: number; windowMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one use; answers 0 when allowed, else the seconds until the key may try again. */
  take(key: string): number {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.options.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.options.limit) return 0;
    return Math.max(1, Math.ceil((window.start + this.options.windowMs - now) / 1000));
  }

  /** Forgets finished windows now and then, so memory follows the active keys only. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.options.windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (now - window.start >= this.options.windowMs) this.windows.delete(key);
  }
}

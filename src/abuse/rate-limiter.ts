import { FixedWindows } from './fixed-window.js';

/**
 * How many times a key (a pubkey, an address) may do something per window: a fixed-window
 * counter, cheap enough to sit in front of every chat message and API call.
 *
 *   const chat = new RateLimiter({ limit: 20, windowMs: 60_000 });
 *   const wait = chat.take(pubkey);   // 0: allowed; otherwise seconds until it is
 */
export class RateLimiter {
  private readonly windows: FixedWindows;

  constructor(
    private readonly options: { limit: number; windowMs: number },
    now: () => number = Date.now,
  ) {
    this.windows = new FixedWindows(options.windowMs, now);
  }

  /** Counts one use; answers 0 when allowed, else the seconds until the key may try again. */
  take(key: string): number {
    const window = this.windows.count(key);
    if (window.count <= this.options.limit) return 0;
    return Math.max(1, this.windows.secondsLeft(window));
  }
}

/** One key's window: when it opened and how many uses it has counted. */
export interface Window {
  start: number;
  count: number;
}

/**
 * Fixed-window counters per key, the one implementation under every "so many per window"
 * limit (chat and API rates, wrong stream keys, player reports). Finished windows are
 * forgotten now and then, so memory follows the active keys only.
 *
 *   const windows = new FixedWindows(60_000);
 *   const window = windows.count(address);   // { start, count }
 *   if (window.count > 20) refuse for windows.secondsLeft(window)
 */
export class FixedWindows {
  private readonly windows = new Map<string, Window>();
  private lastSweep = 0;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key's open window, if it has one that has not run out. */
  current(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && this.now() - window.start >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  /** Counts one use of the key, opening a window for it if it has none. */
  count(key: string): Window {
    this.sweep();
    let window = this.current(key);
    if (!window) {
      window = { start: this.now(), count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window;
  }

  /** Makes the window start over from now, keeping its count. */
  restart(window: Window): void {
    window.start = this.now();
  }

  /** Whole seconds (rounded up) until the window runs out. */
  secondsLeft(window: Window): number {
    return Math.ceil((window.start + this.windowMs - this.now()) / 1000);
  }

  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}

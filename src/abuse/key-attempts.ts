/**
 * Locks an address out after repeated wrong stream keys, so keys cannot be guessed by
 * brute force through the RTMP ingest or the `on_publish` callback.
 *
 *   const wait = attempts.lockedFor(address);    // seconds left, 0 when allowed
 *   if (!valid) attempts.recordFailure(address);
 */
export interface KeyAttemptOptions {
  /** Wrong keys allowed within the window before the address is locked out. */
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly now?: () => number;
}

interface Failures {
  count: number;
  windowStart: number;
}

export class KeyAttemptLimiter {
  private readonly failures = new Map<string, Failures>();
  private readonly now: () => number;

  constructor(private readonly options: KeyAttemptOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Seconds until the address may try again; 0 when it may try now. */
  lockedFor(address: string): number {
    const entry = this.current(address);
    if (!entry || entry.count < this.options.maxFailures) return 0;
    return Math.ceil((entry.windowStart + this.options.windowMs - this.now()) / 1000);
  }

  recordFailure(address: string): void {
    const entry = this.current(address);
    if (entry) {
      entry.count += 1;
      // The lock-out lasts a whole window from the failure that triggered it.
      if (entry.count === this.options.maxFailures) entry.windowStart = this.now();
    } else {
      this.failures.set(address, { count: 1, windowStart: this.now() });
    }
    this.prune();
  }

  private current(address: string): Failures | undefined {
    const entry = this.failures.get(address);
    if (entry && this.now() - entry.windowStart >= this.options.windowMs) {
      this.failures.delete(address);
      return undefined;
    }
    return entry;
  }

  /** Keeps memory bounded under a flood of addresses: expired windows are dropped. */
  private prune(): void {
    if (this.failures.size < 10_000) return;
    for (const address of this.failures.keys()) this.current(address);
  }
}

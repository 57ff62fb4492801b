import { FixedWindows } from './fixed-window.js';

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

export class KeyAttemptLimiter {
  private readonly failures: FixedWindows;

  constructor(private readonly options: KeyAttemptOptions) {
    this.failures = new FixedWindows(options.windowMs, options.now);
  }

  /** Seconds until the address may try again; 0 when it may try now. */
  lockedFor(address: string): number {
    const window = this.failures.current(address);
    if (!window || window.count < this.options.maxFailures) return 0;
    return this.failures.secondsLeft(window);
  }

  recordFailure(address: string): void {
    const window = this.failures.count(address);
    // The lock-out lasts a whole window from the failure that triggered it.
    if (window.count === this.options.maxFailures) this.failures.restart(window);
  }
}

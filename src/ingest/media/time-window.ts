/**
 * Samples (a time in ms and a size) over the last `spanMs` of their own timeline: the
 * sliding window behind frame-rate and bitrate figures. Times must not go backwards.
 *
 *   const window = new TimeWindow(5000);
 *   window.add(frame.timestamp, frame.bytes);
 *   window.ratePerSecond();   // frames per second over the window
 */
export class TimeWindow {
  private times: number[] = [];
  private sizes: number[] = [];
  /** Index of the oldest sample still in the window; the arrays are compacted lazily. */
  private head = 0;
  private sizeAfterHead = 0;

  constructor(private readonly spanMs: number) {}

  add(time: number, size: number): void {
    this.times.push(time);
    this.sizes.push(size);
    this.sizeAfterHead += this.head < this.times.length - 1 ? size : 0;
    while (this.head < this.times.length - 1 && (this.times[this.head] ?? time) < time - this.spanMs) this.dropOldest();
    if (this.head > 1024 && this.head * 2 > this.times.length) this.compact();
  }

  /** Samples per second between the oldest and newest sample; null until the window spans time. */
  ratePerSecond(): number | null {
    const span = this.span();
    return span === null ? null : ((this.times.length - this.head - 1) * 1000) / span;
  }

  /** Size per second, not counting the oldest sample (its data precedes the measured span). */
  sizePerSecond(): number | null {
    const span = this.span();
    return span === null ? null : (this.sizeAfterHead * 1000) / span;
  }

  private span(): number | null {
    const first = this.times[this.head];
    const last = this.times[this.times.length - 1];
    if (first === undefined || last === undefined || last <= first) return null;
    return last - first;
  }

  private dropOldest(): void {
    this.head += 1;
    this.sizeAfterHead -= this.sizes[this.head] ?? 0; // the new oldest no longer counts
  }

  private compact(): void {
    this.times = this.times.slice(this.head);
    this.sizes = this.sizes.slice(this.head);
    this.head = 0;
  }
}

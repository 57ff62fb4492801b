import type { ViewerCounts, ViewerSessions } from './viewer-sessions.js';

/**
 * Turns the origin's viewer sessions into count changes, checked every second, so that
 * the stream's record, its live event and the dashboards follow within a second.
 *
 *   const reporter = new ViewerCountReporter(viewers, (streamId, counts) => service.updateViewers(streamId, counts));
 *   reporter.close();
 */
export class ViewerCountReporter {
  private readonly reported = new Map<string, ViewerCounts>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly viewers: ViewerSessions,
    private readonly report: (streamId: string, counts: ViewerCounts) => Promise<void>,
    intervalMs = 1000,
  ) {
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  /** After the stream ended: its counts are final, the memory can go. */
  forget(streamId: string): void {
    this.reported.delete(streamId);
    this.viewers.forget(streamId);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    for (const streamId of this.viewers.activeStreams()) {
      const counts = this.viewers.snapshot(streamId);
      const last = this.reported.get(streamId);
      if (last && last.current === counts.current && last.total === counts.total && last.peak === counts.peak) continue;
      this.reported.set(streamId, counts);
      await this.report(streamId, counts).catch(() => this.reported.delete(streamId));
    }
  }
}

import { z } from 'zod';

/** What a player may report on the stream's real-time socket. */
export const playerReportSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('buffering'), duration_ms: z.number().int().min(0).max(600_000).optional() }),
  z.object({ type: z.literal('quality_switch'), from: z.string().max(16).optional(), to: z.string().max(16) }),
]);

export type PlayerReport = z.infer<typeof playerReportSchema>;

export interface PlayerReportTotals {
  readonly bufferingEvents: number;
  readonly bufferingMs: number;
  readonly qualitySwitches: number;
}

/**
 * Buffering and quality switches as players report them, per stream, for the stream's
 * analytics (quality metrics the origin cannot see).
 *
 *   reports.record(streamId, { type: 'buffering', duration_ms: 800 });
 *   reports.totals(streamId) // { bufferingEvents: 1, bufferingMs: 800, qualitySwitches: 0 }
 */
export class PlayerReports {
  private readonly byStream = new Map<string, { bufferingEvents: number; bufferingMs: number; qualitySwitches: number }>();

  record(streamId: string, report: PlayerReport): void {
    let totals = this.byStream.get(streamId);
    if (!totals) {
      totals = { bufferingEvents: 0, bufferingMs: 0, qualitySwitches: 0 };
      this.byStream.set(streamId, totals);
    }
    if (report.type === 'buffering') {
      totals.bufferingEvents += 1;
      totals.bufferingMs += report.duration_ms ?? 0;
    } else {
      totals.qualitySwitches += 1;
    }
  }

  totals(streamId: string): PlayerReportTotals | undefined {
    return this.byStream.get(streamId);
  }
}

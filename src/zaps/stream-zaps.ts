import type { StreamAnalytics } from '../protocol/analytics.js';
import type { GoalProgressView } from '../protocol/api-views.js';
import { KIND } from '../protocol/kinds.js';
import type { NostrStore } from '../protocol/nostr-store.js';
import { goalProgress, parseZapGoal } from '../protocol/zap-goal.js';
import type { Stream } from '../streams/stream.js';
import type { ZapLedger } from './zap-ledger.js';
import type { ZapRepository } from './zap-repository.js';

/** What a stream's view says about its zaps. */
export interface StreamZapFigures {
  readonly zapTotalSats: number;
  readonly goalProgress: GoalProgressView | null;
}

const TOP_ZAPPERS = 10;
/** A stream the ledger has nothing for. */
export const NO_ZAPS: StreamZapFigures = { zapTotalSats: 0, goalProgress: null };

/**
 * The host's zaps as the API shows them, from the ledger: a page of streams costs one grouped
 * query for the totals, and, for those with a goal, one relay query for the goals and one for
 * their zaps. Only zaps to the host (stream.pubkey) count; zaps to chatters are theirs.
 *
 *   const figures = await streamZaps.figures(page.streams, unixNow());
 *   const summary = await streamZaps.analytics(stream);   // reconciles first
 */
export class StreamZaps {
  constructor(
    private readonly zaps: ZapRepository,
    private readonly store: Pick<NostrStore, 'query'>,
    private readonly ledger: Pick<ZapLedger, 'reconcile'>,
  ) {}

  async figures(streams: readonly Stream[], now: number): Promise<Map<string, StreamZapFigures>> {
    const withGoal = streams.filter((stream) => stream.goal !== null);
    const [totals, goals] = await Promise.all([
      this.zaps.totals(streams.map(hostOf)),
      withGoal.length > 0 ? this.goals(withGoal, now) : new Map<string, GoalProgressView>(),
    ]);
    return new Map(
      streams.map((stream) => [
        stream.id,
        { zapTotalSats: Math.floor((totals.get(stream.id) ?? 0) / 1000), goalProgress: goals.get(stream.id) ?? null },
      ]),
    );
  }

  async of(stream: Stream, now: number): Promise<StreamZapFigures> {
    return (await this.figures([stream], now)).get(stream.id) ?? NO_ZAPS;
  }

  async analytics(stream: Stream): Promise<StreamAnalytics['zaps']> {
    await this.ledger.reconcile(stream.id);
    const zaps = (await this.zaps.to([hostOf(stream)])).get(stream.id) ?? [];
    const bySender = new Map<string, number>();
    for (const zap of zaps) bySender.set(zap.sender, (bySender.get(zap.sender) ?? 0) + zap.amountMsats);
    return {
      totalSats: sats(zaps.reduce((sum, zap) => sum + zap.amountMsats, 0)),
      count: zaps.length,
      topZappers: [...bySender]
        .sort(([, a], [, b]) => b - a)
        .slice(0, TOP_ZAPPERS)
        .map(([pubkey, msats]) => ({ pubkey, sats: sats(msats) })),
      timeline: zaps.map((zap) => ({ timestamp: zap.paidAt, sats: sats(zap.amountMsats), sender: zap.sender, comment: zap.comment })),
    };
  }

  /** Each goal whose kind 9041 is on our relay and authored by the host, with its progress (the one rule, `goalProgress`). */
  private async goals(streams: readonly Stream[], now: number): Promise<Map<string, GoalProgressView>> {
    const ids = [...new Set(streams.flatMap((stream) => (stream.goal ? [stream.goal] : [])))];
    const [events, zaps] = await Promise.all([
      this.store.query([{ ids, kinds: [KIND.zapGoal] }]),
      this.zaps.to(streams.map(hostOf)),
    ]);
    const found = new Map<string, GoalProgressView>();
    for (const stream of streams) {
      const event = events.find((candidate) => candidate.id === stream.goal && candidate.pubkey === stream.pubkey);
      const goal = event && parseZapGoal(event);
      if (!goal?.ok) continue;
      const progress = goalProgress(goal.value, zaps.get(stream.id) ?? [], stream.endedAt, now);
      found.set(stream.id, {
        id: goal.value.id,
        description: goal.value.description,
        target_sats: progress.targetSats,
        raised_sats: progress.raisedSats,
        status: progress.status,
        closed_at: progress.closedAt ?? null,
      });
    }
    return found;
  }
}

const hostOf = (stream: Stream) => ({ streamId: stream.id, recipient: stream.pubkey });
const sats = (msats: number) => Math.floor(msats / 1000);

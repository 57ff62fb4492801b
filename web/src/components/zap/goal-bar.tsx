import type { Zap } from '../../../../src/protocol/zap';
import type { ChatChannel } from '../../lib/chat-channel';
import { goalAmounts, goalPercent, goalState, useGoalProgress, useStreamGoal } from '../../lib/zap-goal';

export interface GoalBarProps {
  /** The 30311's `goal` (a kind 9041 id). */
  readonly id: string | undefined;
  readonly host: string | undefined;
  readonly channel: ChatChannel;
  /** The stream's valid zaps: the host's count from the goal's creation until it closes. */
  readonly zaps: readonly Zap[];
  /** When the stream ended (its end closes the goal); null while it runs. */
  readonly endedAt: number | null;
}

/** The goal's description and where it stands (open, reached, closed); nothing when the stream has no goal. */
export function GoalBar({ id, host, channel, zaps, endedAt }: GoalBarProps) {
  const goal = useStreamGoal(id, host, channel);
  const progress = useGoalProgress(goal, zaps, endedAt);
  if (!goal || !progress) return null;
  const percent = goalPercent(progress);
  return (
    <section aria-label="Goal" className="grid gap-1 rounded-lg border border-border bg-surface px-3 py-2 text-sm" data-testid="goal-bar" data-status={progress.status}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="font-medium">{goal.description}</span>
        <span className="text-muted" data-testid="goal-progress">
          {goalAmounts(progress)}
        </span>
      </div>
      <div role="progressbar" aria-label="Goal progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="h-2 overflow-hidden rounded bg-border">
        <div className={progress.status === 'closed' ? 'h-full bg-muted' : 'h-full bg-accent'} style={{ width: `${percent}%` }} />
      </div>
      {progress.status !== 'open' && (
        <p className={progress.status === 'reached' ? 'font-semibold text-accent' : 'font-semibold text-muted'} data-testid="goal-state">
          {goalState(progress)}
        </p>
      )}
    </section>
  );
}

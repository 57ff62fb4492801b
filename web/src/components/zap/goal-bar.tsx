import { useEffect, useState } from 'react';
import { KIND } from '../../../../src/protocol/kinds';
import { parseZapGoal, type ZapGoal } from '../../../../src/protocol/zap-goal';
import type { ChatChannel } from '../../lib/chat-channel';

/** The stream's goal (the 30311's `goal`), believed only when its author is the host. */
function useZapGoal(id: string | undefined, host: string | undefined, channel: ChatChannel): ZapGoal | undefined {
  const [goal, setGoal] = useState<ZapGoal>();
  useEffect(() => {
    setGoal(undefined);
    if (!id || !host) return;
    return channel.subscribe({ kinds: [KIND.zapGoal], ids: [id] }, (event) => {
      const parsed = parseZapGoal(event);
      if (parsed.ok && parsed.value.id === id && parsed.value.pubkey === host) setGoal(parsed.value);
    });
  }, [id, host, channel.key]);
  return goal;
}

/** The goal's description and progress from the host's valid zaps; nothing when the stream has no goal. */
export function GoalBar({ id, host, channel, raisedSats }: { id: string | undefined; host: string | undefined; channel: ChatChannel; raisedSats: number }) {
  const goal = useZapGoal(id, host, channel);
  if (!goal) return null;
  const targetSats = Math.floor(goal.amountMsats / 1000);
  const percent = Math.min(100, Math.floor((raisedSats / targetSats) * 100));
  return (
    <section aria-label="Goal" className="grid gap-1 rounded-lg border border-border bg-surface px-3 py-2 text-sm" data-testid="goal-bar">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="font-medium">{goal.description}</span>
        <span className="text-muted" data-testid="goal-progress">
          {raisedSats.toLocaleString('en-US')} / {targetSats.toLocaleString('en-US')} sats ({percent} %)
        </span>
      </div>
      <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="h-2 overflow-hidden rounded bg-border">
        <div className="h-full bg-accent" style={{ width: `${percent}%` }} />
      </div>
      {raisedSats >= targetSats && <p className="font-semibold text-accent">Goal reached!</p>}
    </section>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { StreamView } from '../../../../src/protocol/api-views';
import type { Zap } from '../../../../src/protocol/zap';
import type { ChatChannel } from '../../lib/chat-channel';
import { useSession } from '../../lib/session';
import { GOAL_FIELDS, goalAmounts, goalNotSet, goalState, parseGoalInput, setStreamGoal, useGoalProgress, useStreamGoal } from '../../lib/zap-goal';
import { Button } from '../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { Input } from '../ui/input';
import { Label } from '../ui/label';

export interface GoalCardProps {
  readonly stream: StreamView;
  readonly channel: ChatChannel;
  readonly relays: readonly string[];
  /** The stream's valid zaps, for where the goal stands. */
  readonly zaps: readonly Zap[];
}

/**
 * The stream's NIP-75 zap goal on the dashboard: where it stands (open, reached, closed) and a form to
 * set a new one, signed by the streamer's own signer (`setStreamGoal`). A goal the Go Live form could
 * not set is explained here, so the streamer can set it again.
 */
export function GoalCard({ stream, channel, relays, zaps }: GoalCardProps) {
  const { signer } = useSession();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [fromGoLive, setFromGoLive] = useState(() => goalNotSet.read(stream.stream_id));
  const goal = useStreamGoal(stream.goal, stream.pubkey, channel);
  const progress = useGoalProgress(goal, zaps, stream.ended_at);

  const set = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = parseGoalInput(new FormData(event.currentTarget));
    if (!input.ok) return setError(input.message);
    if (!input.value) return;
    if (!signer) return setError('Sign in to set a goal.');
    setBusy(true);
    setError(undefined);
    try {
      await setStreamGoal({ stream, signer, channel, relays }, input.value);
      goalNotSet.clear(stream.stream_id);
      setFromGoLive(undefined);
      await queryClient.invalidateQueries({ queryKey: ['stream', stream.stream_id] });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  if (stream.visibility === 'private') {
    return (
      <Card>
        <CardHeader>
          <CardTitle>Goal</CardTitle>
        </CardHeader>
        <CardContent>
          <p className="text-sm text-muted" data-testid="goal-status">
            Private streams take no zaps, so they have no zap goal.
          </p>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Goal</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        <p className="text-sm text-muted" role="status" data-testid="goal-status">
          {!stream.goal
            ? 'No goal set.'
            : progress && goal
              ? `${progress.status === 'open' ? 'Goal open' : goalState(progress)}: “${goal.description}”, ${goalAmounts(progress)}.`
              : 'A goal is set: viewers see its progress under the player.'}
        </p>
        {fromGoLive && !stream.goal && (
          <p role="alert" className="text-sm text-live" data-testid="goal-not-set">
            The goal from the Go Live form was not set ({fromGoLive}). Set it again here.
          </p>
        )}
        {stream.status !== 'ended' && (
          <form className="grid gap-2" noValidate onSubmit={(event) => void set(event)}>
            <Label htmlFor="goal-sats">Target (sats)</Label>
            <Input id="goal-sats" name={GOAL_FIELDS.sats} type="number" min={1} step={1} required />
            <Label htmlFor="goal-description">What it is for</Label>
            <Input id="goal-description" name={GOAL_FIELDS.description} required />
            <Button type="submit" variant="secondary" disabled={busy}>
              Set goal
            </Button>
          </form>
        )}
        {error && <p role="alert" className="text-sm text-live">{error}</p>}
      </CardContent>
    </Card>
  );
}

import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { StreamView } from '../../../../src/protocol/api-views';
import type { Coordinate } from '../../../../src/protocol/coordinate';
import { buildZapGoal } from '../../../../src/protocol/zap-goal';
import { api } from '../../lib/api';
import type { ChatChannel } from '../../lib/chat-channel';
import { useSession } from '../../lib/session';
import { Button } from '../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { Input } from '../ui/input';
import { Label } from '../ui/label';

const unixNow = () => Math.floor(Date.now() / 1000);

/**
 * The stream's NIP-75 zap goal: the streamer's own signer signs the kind 9041 (the goal is theirs,
 * not the service's), it goes to the stream's relays, and the stream then names it in its 30311.
 */
export function GoalCard({ stream, coordinate, channel, relays }: { stream: StreamView; coordinate: Coordinate; channel: ChatChannel; relays: readonly string[] }) {
  const { signer } = useSession();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const set = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const sats = Number(form.get('sats'));
    const description = String(form.get('description') ?? '').trim();
    if (!Number.isInteger(sats) || sats <= 0) return setError('The goal must be a whole number of sats, more than 0.');
    if (!description) return setError('Say what the goal is for.');
    if (!signer) return setError('Sign in to set a goal.');
    setBusy(true);
    setError(undefined);
    try {
      const goal = await signer.signEvent(buildZapGoal({ amountMsats: sats * 1000, description, relays, stream: coordinate }, unixNow()));
      await channel.publish(goal);
      await api<StreamView>(`/api/v1/streams/${stream.stream_id}`, { method: 'PATCH', signer, json: { goal: goal.id } });
      await queryClient.invalidateQueries({ queryKey: ['stream', stream.stream_id] });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Goal</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        <p className="text-sm text-muted" role="status" data-testid="goal-status">
          {stream.goal ? 'A goal is set: viewers see its progress under the player.' : 'No goal set.'}
        </p>
        {stream.status !== 'ended' && (
          <form className="grid gap-2" noValidate onSubmit={(event) => void set(event)}>
            <Label htmlFor="goal-sats">Target (sats)</Label>
            <Input id="goal-sats" name="sats" type="number" min={1} step={1} required />
            <Label htmlFor="goal-description">What it is for</Label>
            <Input id="goal-description" name="description" required />
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

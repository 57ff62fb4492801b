import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { StreamView } from '../../../../src/protocol/api-views';
import { updateStreamRequestSchema } from '../../../../src/protocol/stream-settings';
import { api, ApiError } from '../../lib/api';
import { unixFromLocalInput } from '../../lib/schedule';
import { useSession } from '../../lib/session';
import { PlannedStart } from '../discovery/planned-start';
import { Button } from '../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { START_TIME_FIELD, StartTimeField } from './start-time-field';

/**
 * The planned start on the dashboard, until the stream goes live: change it or clear it
 * (PATCH `starts_at`); the 30311's `starts` and every viewer's countdown follow.
 */
export function ScheduleCard({ stream }: { stream: StreamView }) {
  const { signer } = useSession();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (stream.started_at !== null || stream.status === 'ended') return null;

  const save = async (startsAt: number | null) => {
    const update = updateStreamRequestSchema.safeParse({ starts_at: startsAt });
    if (!update.success) return setError(update.error.issues[0]?.message);
    if (!signer) return setError('Sign in as the stream\'s owner.');
    setBusy(true);
    setError(undefined);
    try {
      await api(`/api/v1/streams/${stream.stream_id}`, { method: 'PATCH', json: { starts_at: startsAt }, signer });
      await queryClient.invalidateQueries({ queryKey: ['stream', stream.stream_id] });
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void save(unixFromLocalInput(new FormData(event.currentTarget).get(START_TIME_FIELD)));
  };

  return (
    <Card data-testid="schedule-card">
      <CardHeader>
        <CardTitle>Schedule</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-3">
        <p className="text-sm text-muted" role="status" data-testid="schedule-status">
          {stream.starts_at === null ? 'Not scheduled: viewers see the stream when it goes live.' : <>Planned: <PlannedStart starts={stream.starts_at} /></>}
        </p>
        {/* Keyed by the saved time, so the field shows what was saved. */}
        <form key={stream.starts_at ?? 'none'} className="grid gap-2" noValidate onSubmit={submit}>
          <StartTimeField id="schedule-starts-at" error={error} value={stream.starts_at} />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant="secondary" disabled={busy}>
              Save planned start
            </Button>
            {stream.starts_at !== null && (
              <Button type="button" variant="ghost" disabled={busy} onClick={() => void save(null)}>
                Clear planned start
              </Button>
            )}
          </div>
        </form>
      </CardContent>
    </Card>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import type { StreamView } from '../../../../src/protocol/api-views';
import { addDestinationSchema, DESTINATION_LIMITS, type DestinationView, type ForwardState } from '../../../../src/protocol/destinations';
import { ApiError } from '../../lib/api';
import { PLATFORMS, STATE_LABELS, useDestinations } from '../../lib/destinations';
import { useSession } from '../../lib/session';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { Input } from '../ui/input';
import { FieldError, Label } from '../ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '../ui/select';

const BADGE_OF: Record<ForwardState, 'default' | 'outline' | 'success' | 'warning' | 'live'> = {
  idle: 'outline',
  connecting: 'default',
  live: 'success',
  retrying: 'warning',
  failed: 'live',
  paused: 'outline',
};

/** Seconds until `at` (Unix ms), counted down each second. */
function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function DestinationRow({ destination, onRemove, onRetry, busy }: { destination: DestinationView; onRemove(): void; onRetry(): void; busy: boolean }) {
  const seconds = useSecondsUntil(destination.state === 'retrying' ? destination.retry_at : null);
  return (
    <li className="space-y-1 rounded-md border border-border p-3" data-testid="destination">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium">{destination.name}</span>
        <Badge variant={BADGE_OF[destination.state]} data-testid="destination-state" data-state={destination.state}>
          {STATE_LABELS[destination.state]}
        </Badge>
      </div>
      <p className="break-all font-mono text-xs text-muted">
        {destination.url} · key <span data-testid="destination-key">{destination.key}</span>
      </p>
      {destination.reason && (
        <p className="text-xs" role="status" data-testid="destination-reason">
          {destination.reason}
          {seconds !== null && <span className="text-muted"> Next try in {seconds} s.</span>}
        </p>
      )}
      <div className="flex gap-2">
        {destination.state === 'failed' && (
          <Button size="sm" variant="secondary" disabled={busy} onClick={onRetry}>
            Try again
          </Button>
        )}
        <Button size="sm" variant="ghost" disabled={busy} onClick={onRemove} aria-label={`Remove ${destination.name}`}>
          Remove
        </Button>
      </div>
    </li>
  );
}

/**
 * Forwarding (restream) on the dashboard: where else the stream goes (YouTube, Twitch, any
 * RTMP server), each destination's state while live, and a form to add one. The key is sent
 * once and only its last characters are ever shown again.
 */
export function ForwardingCard({ stream }: { stream: StreamView }) {
  const { signer } = useSession();
  const onAir = stream.status === 'live' || stream.status === 'reconnecting';
  const { list, add, remove, retry } = useDestinations(stream.stream_id, signer, onAir);
  const [platform, setPlatform] = useState<string>('custom');
  const [fields, setFields] = useState({ name: '', url: '', key: '' });
  const [errors, setErrors] = useState<Partial<Record<'name' | 'url' | 'key' | 'form', string>>>({});
  const destinations = list.data ?? [];
  const full = destinations.length >= DESTINATION_LIMITS.perStream;

  const choose = (id: string) => {
    setPlatform(id);
    const chosen = PLATFORMS.find((candidate) => candidate.id === id);
    if (chosen && chosen.id !== 'custom') setFields((previous) => ({ ...previous, name: chosen.name, url: chosen.url }));
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = addDestinationSchema.safeParse(fields);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return setErrors({ [String(issue?.path[0] ?? 'form')]: issue?.message });
    }
    setErrors({});
    try {
      await add.mutateAsync(checked.data);
      // The key leaves the page once sent: it is not kept in the form.
      setFields({ name: '', url: '', key: '' });
      setPlatform('custom');
    } catch (failure) {
      setErrors({ form: failure instanceof ApiError ? failure.message : String(failure) });
    }
  };
  const field = (name: 'name' | 'url' | 'key') => ({
    id: `destination-${name}`,
    value: fields[name],
    onChange: (event: { target: { value: string } }) => setFields((previous) => ({ ...previous, [name]: event.target.value })),
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `destination-${name}-error` : undefined,
  });

  return (
    <Card data-testid="forwarding-card">
      <CardHeader>
        <CardTitle>Forwarding</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3 text-sm">
        <p className="text-muted">
          Also send this stream to YouTube, Twitch or any RTMP server while it is live. What your encoder sends is copied as it is, not encoded again; a
          destination that fails never affects your stream here.
        </p>
        {list.error && <p role="alert" className="text-live">{list.error.message}</p>}
        {destinations.length > 0 ? (
          <ul className="space-y-2" aria-label="Forwarding destinations">
            {destinations.map((destination) => (
              <DestinationRow
                key={destination.id}
                destination={destination}
                busy={remove.isPending || retry.isPending}
                onRemove={() => remove.mutate(destination.id)}
                onRetry={() => retry.mutate(destination.id)}
              />
            ))}
          </ul>
        ) : (
          list.isSuccess && <p className="text-muted">No destinations yet.</p>
        )}
        {!full && stream.status !== 'ended' && (
          <form className="grid gap-2 border-t border-border pt-3" onSubmit={(event) => void submit(event)} noValidate aria-label="Add a destination">
            <Label htmlFor="destination-platform">Platform</Label>
            <Select value={platform} onValueChange={choose}>
              <SelectTrigger id="destination-platform" aria-label="Platform">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {PLATFORMS.map((candidate) => (
                  <SelectItem key={candidate.id} value={candidate.id}>
                    {candidate.id === 'custom' ? 'Other RTMP server' : candidate.name}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            <Label htmlFor="destination-name">Destination name</Label>
            <Input {...field('name')} maxLength={DESTINATION_LIMITS.nameMax} placeholder="My YouTube channel" />
            <FieldError id="destination-name-error" message={errors.name} />
            <Label htmlFor="destination-url">Destination server URL</Label>
            <Input {...field('url')} inputMode="url" placeholder="rtmp://a.rtmp.youtube.com/live2" spellCheck={false} />
            <FieldError id="destination-url-error" message={errors.url} />
            <Label htmlFor="destination-key">Destination stream key</Label>
            <Input {...field('key')} type="password" autoComplete="off" spellCheck={false} placeholder="From the platform’s live settings" />
            <FieldError id="destination-key-error" message={errors.key} />
            {errors.form && <p role="alert" className="text-live">{errors.form}</p>}
            <Button type="submit" variant="secondary" disabled={add.isPending || !signer}>
              Add destination
            </Button>
          </form>
        )}
        {full && <p className="text-muted">At most {DESTINATION_LIMITS.perStream} destinations: remove one to add another.</p>}
      </CardContent>
    </Card>
  );
}

import { KeyRound, Server } from 'lucide-react';
import type { SignerMode } from '../../../../src/protocol/api-views';
import { Input } from '../ui/input';
import { FieldError, Label } from '../ui/label';
import { ChoiceCards } from './choice-cards';

/** What happens with the streamer's own key, in the words both the Go Live form and the dashboard use. */
export const OWN_KEY_TERMS = {
  host: 'Every Nostr client shows you as the host, and zaps reach you.',
  scope: 'This service asks your bunker to sign only your stream’s live events (kind 30311), nothing else.',
  away: 'If your bunker goes away, the stream keeps playing, but its Nostr event stops updating and drops out of clients within 15 minutes.',
  end: 'When the stream ends, the service publishes an “ended” event your bunker signed ahead of time, so it never stays “live”.',
} as const;

const CHOICES = [
  {
    value: 'service',
    label: (
      <>
        <Server className="h-4 w-4" aria-hidden />
        Wavlake Live’s key
      </>
    ),
    hint: 'The service publishes your stream on Nostr; you are named as the host, but some clients show the service instead.',
  },
  {
    value: 'streamer',
    label: (
      <>
        <KeyRound className="h-4 w-4" aria-hidden />
        My own key, through my bunker (NIP-46)
      </>
    ),
    hint: OWN_KEY_TERMS.host,
  },
] as const;

/**
 * "Who publishes this stream on Nostr": the service's key, or the streamer's own through a
 * bunker:// URI (fixed for the stream's life, since its Nostr address depends on it).
 */
export function SignerChoice({
  value,
  onChange,
  bunker,
  onBunkerChange,
  error,
}: {
  value: SignerMode;
  onChange: (mode: SignerMode) => void;
  bunker: string;
  onBunkerChange: (uri: string) => void;
  error: string | undefined;
}) {
  return (
    <div className="grid gap-2">
      <ChoiceCards legend="Who publishes this stream on Nostr" name="signer" choices={CHOICES} value={value} onChange={onChange} />
      {value === 'streamer' && (
        <div className="grid gap-1 rounded-md border border-border p-3">
          <Label htmlFor="bunker">Bunker URI (NIP-46)</Label>
          <Input
            id="bunker"
            name="bunker"
            value={bunker}
            onChange={(event) => onBunkerChange(event.target.value)}
            placeholder="bunker://…?relay=wss://…&secret=…"
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby="bunker-hint bunker-error"
          />
          <FieldError id="bunker-error" message={error} />
          <ul id="bunker-hint" className="list-disc space-y-1 pl-4 text-xs text-muted">
            <li>{OWN_KEY_TERMS.scope} Your bunker may ask you to approve it; some bunkers want a new connection (a fresh bunker:// URI) for each app.</li>
            <li>{OWN_KEY_TERMS.away}</li>
            <li>{OWN_KEY_TERMS.end}</li>
            <li>This choice stays for the stream’s whole life: its Nostr address depends on whose key signs it.</li>
          </ul>
        </div>
      )}
    </div>
  );
}

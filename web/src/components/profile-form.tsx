import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useRelays } from '../lib/nostr';
import { profileFormErrors, saveProfile, type ProfileForm as Fields, type SavedProfile } from '../lib/profile-editor';
import { profileOf, profileQueryKey } from '../lib/profiles';
import { useSession } from '../lib/session';
import type { NostrEvent } from '../../../src/protocol/nostr-event';
import { Button } from './ui/button';
import { Input, Textarea } from './ui/input';
import { Label } from './ui/label';

const FIELDS: { key: keyof Fields; label: string; hint: string; placeholder?: string }[] = [
  { key: 'name', label: 'Name', hint: 'Shown on your streams, in chat and on your profile.' },
  { key: 'picture', label: 'Picture URL', hint: 'An image on the web (https://…); square ones look best.', placeholder: 'https://…' },
  { key: 'about', label: 'About', hint: 'A line or two about you.' },
  { key: 'lud16', label: 'Lightning address', hint: 'Where zaps reach you: name@domain from your wallet.', placeholder: 'you@wallet.example' },
];

/**
 * The signed-in user's kind 0: name, picture, about and lightning address, filled from
 * `current` (the newest kind 0 read); saving keeps every other field of it.
 */
export function ProfileForm({ current, onSaved }: { current: NostrEvent | null; onSaved?: (saved: SavedProfile) => void }) {
  const session = useSession();
  const base = useRelays();
  const queryClient = useQueryClient();
  const known = profileOf(current);
  const [errors, setErrors] = useState<Partial<Record<keyof Fields, string>>>({});
  const [failure, setFailure] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const form: Fields = { name: '', picture: '', about: '', lud16: '' };
    for (const { key } of FIELDS) form[key] = String(data.get(key) ?? '');
    const found = profileFormErrors(form);
    setErrors(found);
    setFailure(undefined);
    setDone(undefined);
    if (Object.keys(found).length > 0 || !session.signer || !session.pubkey) return;
    setBusy(true);
    try {
      const saved = await saveProfile({ signer: session.signer, pubkey: session.pubkey, base, form, createdHere: session.createdHere });
      queryClient.setQueriesData({ queryKey: profileQueryKey(session.pubkey) }, saved.event);
      setDone(
        saved.refused.length > 0
          ? `Saved on ${saved.accepted.join(', ')}. Not saved on ${saved.refused.join('; ')}.`
          : `Saved on ${saved.accepted.join(', ')}.`,
      );
      onSaved?.(saved);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="flex max-w-xl flex-col gap-4" onSubmit={(event) => void submit(event)} noValidate>
      {FIELDS.map(({ key, label, hint, placeholder }) => {
        const id = `profile-${key}`;
        const Field = key === 'about' ? Textarea : Input;
        return (
          <div key={key} className="flex flex-col gap-1">
            <Label htmlFor={id}>{label}</Label>
            <Field
              id={id}
              name={key}
              defaultValue={(key === 'name' ? (known?.display_name ?? known?.name) : known?.[key]) ?? ''}
              placeholder={placeholder}
              aria-invalid={errors[key] ? true : undefined}
              aria-describedby={`${id}-hint`}
              onChange={() => errors[key] && setErrors((shown) => ({ ...shown, [key]: undefined }))}
            />
            <p id={`${id}-hint`} className={errors[key] ? 'text-sm text-live' : 'text-xs text-muted'}>
              {errors[key] ?? hint}
            </p>
          </div>
        );
      })}
      <Button type="submit" disabled={busy} className="self-start">
        {busy ? 'Saving…' : 'Save profile'}
      </Button>
      {failure && (
        <p role="alert" className="text-sm text-live">
          {failure}
        </p>
      )}
      {done && (
        <p role="status" className="text-sm text-muted">
          {done}
        </p>
      )}
    </form>
  );
}

import { TriangleAlert } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { useSession } from '../lib/session';
import { createKey } from '../signers/local-signer';
import { Button } from './ui/button';
import { Input } from './ui/input';
import { Label } from './ui/label';

type Created = ReturnType<typeof createKey>;

/**
 * A new Nostr account: a key made here and kept as NIP-49 ncryptsec, then its backup (the
 * only moment the plain secret is shown), then the profile form at /settings/profile.
 */
export function CreateAccount({ onBack }: { onBack: () => void }) {
  const session = useSession();
  const [, navigate] = useLocation();
  const [created, setCreated] = useState<Created>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);
  const [savedIt, setSavedIt] = useState(false);

  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    try {
      setCreated(createKey(String(new FormData(event.currentTarget).get('password'))));
      setError(undefined);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const copy = async (nsec: string) => {
    try {
      await navigator.clipboard.writeText(nsec);
      setCopied(true);
    } catch {
      setError('This browser did not let the page copy: select the key above and copy it, or download the file.');
    }
  };
  const download = async ({ nsec, signer }: Created) => {
    const pubkey = await signer.getPublicKey();
    const text = `Wavlake Live / Nostr secret key\n\n${nsec}\n\nThis key IS your account. Anyone who has it can act as you. If you lose it, the account is lost: nobody can recover it.\nPublic key (safe to share): ${pubkey}\n`;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    link.download = 'nostr-secret-key.txt';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };
  const finish = async (account: Created) => {
    navigate('/settings/profile');
    await session.signInWithNewKey(account);
  };

  if (!created) {
    return (
      <form className="flex flex-col gap-3" onSubmit={create}>
        <p className="text-sm text-muted">A new Nostr key is made in this browser. It is your account here and in every Nostr app.</p>
        <Label htmlFor="new-password">Password to protect the new key in this browser</Label>
        <Input id="new-password" name="password" type="password" autoComplete="new-password" minLength={8} required />
        <Button type="submit">Create my key</Button>
        <Button type="button" variant="ghost" onClick={onBack}>
          I already have a key
        </Button>
        {error && (
          <p role="alert" className="text-sm text-live">
            {error}
          </p>
        )}
      </form>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <div role="note" className="flex gap-2 rounded-md border border-live/60 bg-live/10 p-3 text-sm">
        <TriangleAlert className="h-5 w-5 shrink-0 text-live" aria-hidden />
        <p>
          <strong>Save your secret key now.</strong> It is your account: if you lose it, the account is lost and nobody can recover it. Anyone who has it is
          you: never paste it into a site you do not trust, never share it.
        </p>
      </div>
      <Label htmlFor="new-nsec">Your secret key (nsec)</Label>
      <Input id="new-nsec" readOnly value={created.nsec} className="font-mono text-xs" onFocus={(event) => event.currentTarget.select()} />
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" onClick={() => void copy(created.nsec)}>
          {copied ? 'Copied' : 'Copy secret key'}
        </Button>
        <Button type="button" variant="secondary" onClick={() => void download(created)}>
          Download as a text file
        </Button>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={savedIt} onChange={(event) => setSavedIt(event.currentTarget.checked)} />
        I have saved my secret key somewhere safe
      </label>
      <Button type="button" disabled={!savedIt} onClick={() => void finish(created)}>
        Continue to my profile
      </Button>
      {error && (
        <p role="alert" className="text-sm text-live">
          {error}
        </p>
      )}
    </div>
  );
}

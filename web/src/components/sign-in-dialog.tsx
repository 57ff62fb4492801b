import { useId, useState, type FormEvent } from 'react';
import { hasExtension } from '../signers/extension-signer';
import { REMEMBER_DAYS } from '../signers/kept-key';
import { useSession } from '../lib/session';
import { CreateAccount } from './create-account';
import { Button, type ButtonProps } from './ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from './ui/dialog';
import { Input } from './ui/input';
import { Label } from './ui/label';
import { Tabs, TabsContent, TabsList, TabsTrigger } from './ui/tabs';

/**
 * Sign in with a NIP-07 extension, a pasted nsec (saved encrypted, NIP-49) or a NIP-46 bunker; or create a new account.
 * `onSignedIn` continues where the button promised to lead ("Go Live" → /go-live).
 */
export function SignInDialog({ label = 'Sign in', onSignedIn, variant }: { label?: string; onSignedIn?: () => void; variant?: ButtonProps['variant'] }) {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [creating, setCreating] = useState(false);

  const attempt = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      setOpen(false);
      onSignedIn?.();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  const submit = (action: (form: FormData) => Promise<void>) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void attempt(() => action(form));
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setCreating(false);
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant={variant} className="pointer-coarse:h-11">{session.locked ? 'Unlock' : label}</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{creating ? 'Create an account' : 'Sign in with Nostr'}</DialogTitle>
          <DialogDescription>
            {creating ? 'A Nostr account is a key: this browser makes one and keeps it locked with your password.' : 'Your key never leaves your signer; this site only asks it to sign.'}
          </DialogDescription>
        </DialogHeader>
        {creating ? (
          <CreateAccount onBack={() => setCreating(false)} />
        ) : session.locked ? (
          <form className="flex flex-col gap-3" onSubmit={submit((form) => session.unlock(String(form.get('password')), form.has('remember')))}>
            <Label htmlFor="unlock-password">Password for the key saved in this browser</Label>
            <Input id="unlock-password" name="password" type="password" autoComplete="current-password" required />
            <RememberBrowser />
            <Button type="submit" disabled={busy}>
              Unlock
            </Button>
            <Button type="button" variant="ghost" onClick={() => session.signOut()}>
              Forget the saved key
            </Button>
          </form>
        ) : (
          <Tabs defaultValue={hasExtension() ? 'extension' : 'nsec'}>
            <TabsList className="w-full">
              <TabsTrigger value="extension" className="flex-1">
                Extension
              </TabsTrigger>
              <TabsTrigger value="nsec" className="flex-1">
                Secret key
              </TabsTrigger>
              <TabsTrigger value="bunker" className="flex-1">
                Remote signer
              </TabsTrigger>
            </TabsList>
            <TabsContent value="extension" className="flex flex-col gap-3">
              <p className="text-sm text-muted">
                {hasExtension() ? 'Use the Nostr extension in this browser (NIP-07).' : 'No Nostr extension found. Install Alby or nos2x, then reload.'}
              </p>
              <Button disabled={busy || !hasExtension()} onClick={() => void attempt(() => session.signInWithExtension())}>
                Sign in with extension
              </Button>
            </TabsContent>
            <TabsContent value="nsec">
              <form className="flex flex-col gap-3" onSubmit={submit((form) => session.signInWithNsec(String(form.get('nsec')), String(form.get('password')), form.has('remember')))}>
                <Label htmlFor="nsec">Secret key (nsec)</Label>
                <Input id="nsec" name="nsec" type="password" autoComplete="off" placeholder="nsec1…" required />
                <Label htmlFor="nsec-password">Password to protect it in this browser</Label>
                <Input id="nsec-password" name="password" type="password" autoComplete="new-password" minLength={8} required />
                <RememberBrowser />
                <Button type="submit" disabled={busy}>
                  Sign in
                </Button>
              </form>
            </TabsContent>
            <TabsContent value="bunker">
              <form className="flex flex-col gap-3" onSubmit={submit((form) => session.signInWithBunker(String(form.get('bunker'))))}>
                <Label htmlFor="bunker">Bunker URI (NIP-46)</Label>
                <Input id="bunker" name="bunker" placeholder="bunker://…" required />
                <Button type="submit" disabled={busy}>
                  Connect
                </Button>
              </form>
            </TabsContent>
          </Tabs>
        )}
        {!creating && !session.locked && (
          <Button variant="outline" onClick={() => setCreating(true)}>
            New to Nostr? Create an account
          </Button>
        )}
        {error && (
          <p role="alert" className="text-sm text-live">
            {error}
          </p>
        )}
      </DialogContent>
    </Dialog>
  );
}

/** Unchecked, the key stays unlocked until the browser closes (every tab); checked, for REMEMBER_DAYS. */
function RememberBrowser() {
  const hint = useId();
  return (
    <div className="text-sm">
      <label className="flex items-center gap-2">
        <input type="checkbox" name="remember" className="h-4 w-4 accent-accent" aria-describedby={hint} />
        Remember this browser for {REMEMBER_DAYS} days
      </label>
      <p id={hint} className="pl-6 text-muted">
        Otherwise you stay signed in until the browser closes. Sign out forgets the key here.
      </p>
    </div>
  );
}

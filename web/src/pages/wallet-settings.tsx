import { useQuery } from '@tanstack/react-query';
import { Wallet } from 'lucide-react';
import { NWCWalletInfo } from 'nostr-tools/kinds';
import { useMemo, useState, type FormEvent } from 'react';
import { shortNpub } from '../../../src/protocol/short-npub';
import { SignInDialog } from '../components/sign-in-dialog';
import { Button } from '../components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card';
import { Input } from '../components/ui/input';
import { Label } from '../components/ui/label';
import { forgetNwc, parseNwcConnection, saveNwc, savedNwc, type NwcConnection } from '../lib/nwc';
import { readNewest } from '../lib/relay-read';
import { useSession } from '../lib/session';
import { useDocumentTitle } from '../lib/use-document-title';

/**
 * `/settings/wallet`: the Nostr Wallet Connect (NIP-47) connection zaps are paid with when the
 * browser has no WebLN wallet. Kept in this browser's storage for the signed-in account only.
 */
export function WalletSettingsPage() {
  const session = useSession();
  useDocumentTitle('Wallet');
  // Bumped on save and remove: the saved connection is read from storage, which React does not watch.
  const [changes, setChanges] = useState(0);
  const saved = useMemo(() => (session.pubkey ? savedNwc(session.pubkey) : undefined), [session.pubkey, changes]);

  if (!session.pubkey) {
    return (
      <div className="space-y-3">
        <p className="text-muted">Sign in to connect a wallet for zaps.</p>
        <SignInDialog />
      </div>
    );
  }
  const pubkey = session.pubkey;
  return (
    <div className="max-w-xl space-y-4">
      <div className="flex items-center gap-3">
        <Wallet className="h-8 w-8 text-accent" aria-hidden />
        <div>
          <h1 className="text-xl font-semibold">Wallet</h1>
          <p className="text-sm text-muted">Pay zaps from your own lightning wallet, without scanning a QR code, through Nostr Wallet Connect (NWC).</p>
        </div>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Nostr Wallet Connect</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3">
          {saved ? (
            <Connected
              connection={saved}
              onRemove={() => {
                forgetNwc(pubkey);
                setChanges((count) => count + 1);
              }}
            />
          ) : (
            <ConnectForm
              onSave={(connection) => {
                saveNwc(pubkey, connection);
                setChanges((count) => count + 1);
              }}
            />
          )}
          <p className="text-xs text-muted">
            The connection string can spend from your wallet. It is kept in this browser only, for this account, and is never sent to Wavlake Live’s server: zaps are asked
            for by this page, over your wallet’s relay. Give the connection a spending budget in your wallet, and remove it here before you lend this device.
          </p>
        </CardContent>
      </Card>
      <p className="text-sm text-muted">A browser wallet extension (WebLN, such as Alby) is used first when this browser has one.</p>
    </div>
  );
}

function ConnectForm({ onSave }: { onSave: (connection: NwcConnection) => void }) {
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    try {
      onSave(parseNwcConnection(String(new FormData(event.currentTarget).get('connection') ?? '')));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <form className="flex flex-col gap-2" onSubmit={submit} noValidate>
      <Label htmlFor="nwc-connection">Connection string</Label>
      <Input
        id="nwc-connection"
        name="connection"
        placeholder="nostr+walletconnect://…"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby="nwc-connection-hint"
        onChange={() => setError(undefined)}
      />
      <p id="nwc-connection-hint" role={error ? 'alert' : undefined} className={error ? 'text-sm text-live' : 'text-xs text-muted'}>
        {error ?? 'In your wallet (Alby Hub, Coinos, Primal, …) add a Nostr Wallet Connect connection and copy its nostr+walletconnect:// string.'}
      </p>
      <Button type="submit" className="self-start">
        Connect wallet
      </Button>
    </form>
  );
}

function Connected({ connection, onRemove }: { connection: NwcConnection; onRemove: () => void }) {
  const hosts = connection.relays.map((relay) => new URL(relay).host).join(', ');
  return (
    <div className="space-y-2">
      <p role="status" data-testid="nwc-connected">
        Connected: {hosts}, {shortNpub(connection.walletPubkey)}
      </p>
      {connection.lud16 && <p className="text-sm text-muted">Wallet address: {connection.lud16}</p>}
      <WalletOffer connection={connection} />
      <Button variant="secondary" onClick={onRemove}>
        Remove
      </Button>
    </div>
  );
}

/** What the wallet announces it can do (its kind 13194), so a connection that cannot pay is seen before a zap needs it. */
function WalletOffer({ connection }: { connection: NwcConnection }) {
  const info = useQuery({
    queryKey: ['nwc-info', connection.walletPubkey, connection.relays],
    queryFn: () => readNewest(connection.relays, { kinds: [NWCWalletInfo], authors: [connection.walletPubkey] }),
    retry: false,
  });
  if (!info.data) return <p className="text-sm text-muted">Asking your wallet what it offers…</p>;
  const { event, answered } = info.data;
  if (answered.length === 0) return <p className="text-sm text-live">Your wallet’s relay ({connection.relays.join(', ')}) did not answer: until it does, zaps will try it and then show a QR code.</p>;
  if (!event) return <p className="text-sm text-muted">Your wallet has not said what it offers; zaps will try it and show a QR code if it cannot pay.</p>;
  const offers = event.content.split(/\s+/).filter(Boolean);
  return offers.includes('pay_invoice') ? (
    <p className="text-sm text-muted" data-testid="nwc-offer">
      Your wallet can pay invoices (pay_invoice).
    </p>
  ) : (
    <p className="text-sm text-live" data-testid="nwc-offer">
      Your wallet does not offer pay_invoice ({offers.join(', ') || 'nothing'}): zaps will show a QR code instead.
    </p>
  );
}

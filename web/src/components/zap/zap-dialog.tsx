import { Zap as ZapIcon } from 'lucide-react';
import { useId, useState, type FormEvent, type RefObject } from 'react';
import { Link } from 'wouter';
import { formatCoordinate, type Coordinate } from '../../../../src/protocol/coordinate';
import { KIND } from '../../../../src/protocol/kinds';
import { unixNow } from '../../../../src/protocol/time';
import { buildZapRequest, encodeLnurl, validateZapReceipt } from '../../../../src/protocol/zap';
import type { ChatChannel } from '../../lib/chat-channel';
import { requestZapInvoice, useLnurlPay } from '../../lib/lnurl';
import { displayName, useProfile } from '../../lib/profiles';
import { savedNwc } from '../../lib/nwc';
import { useSession } from '../../lib/session';
import { weblnProvider } from '../../lib/webln';
import { SignInDialog } from '../sign-in-dialog';
import { Button } from '../ui/button';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from '../ui/dialog';
import { Input } from '../ui/input';
import { Label } from '../ui/label';
import { InvoicePanel, payFromWallet } from './pay-invoice';

const PRESETS = [21, 100, 500, 1000, 5000];
const MAX_COMMENT = 280;

export interface ZapButtonProps {
  readonly stream: Coordinate;
  /** Who is paid: the host, or a chatter for their message. */
  readonly recipient: string;
  /** The chat message zapped (its author is the recipient). */
  readonly event?: string;
  /** Where the receipt should be published (ours and the stream's) and is looked for. */
  readonly relays: readonly string[];
  readonly channel: ChatChannel;
}

/** Where a zap is: choosing, asking for the invoice or paying it, showing it (and why no wallet of theirs paid), or done (and by what). */
type Step =
  | { readonly at: 'form' }
  | { readonly at: 'working'; readonly what: string }
  | { readonly at: 'invoice'; readonly invoice: string; readonly failure?: string }
  | { readonly at: 'done'; readonly by?: string };

/**
 * Zap the stream's host: a Zap button, disabled with its reason when
 * they have no lightning address (or their wallet takes no zaps), a sign-in when signed out; the dialog
 * pays through WebLN when the browser has it, else through the saved Nostr Wallet Connect wallet, else
 * (or when that wallet fails) shows the invoice as a QR, then waits for the receipt.
 */
export function ZapButton(props: ZapButtonProps) {
  const { recipient } = props;
  const session = useSession();
  const { name, lnurl, unavailable } = useZapTarget(recipient);
  const [open, setOpen] = useState(false);

  if (!session.pubkey) return <SignInDialog label="Sign in to zap" />;
  // Paying oneself would only move sats between one's own wallets and inflate the total.
  const reason = session.pubkey === recipient ? 'This is your stream' : unavailable;
  if (reason !== undefined || lnurl.state !== 'ready') {
    return (
      <span className="inline-flex items-center gap-2">
        <Button size="sm" variant="secondary" disabled title={reason} className="pointer-coarse:h-11 pointer-coarse:px-4">
          <ZapIcon className="h-4 w-4" aria-hidden /> Zap
        </Button>
        <span className="text-sm text-muted" data-testid="zap-unavailable">
          {reason}
        </span>
      </span>
    );
  }
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" className="pointer-coarse:h-11 pointer-coarse:px-4">
          <ZapIcon className="h-4 w-4" aria-hidden /> Zap
        </Button>
      </DialogTrigger>
      <DialogContent>
        {/* Mounted per opening: a new zap starts at the form. */}
        {open && <ZapFlow {...props} name={name} lnurl={lnurl} />}
      </DialogContent>
    </Dialog>
  );
}

/** Whom a zap would pay, and why it cannot (no lightning address, a wallet that takes no zaps, still looking) or undefined when it can. */
export function useZapTarget(recipient: string) {
  const { data: profile } = useProfile(recipient);
  const lnurl = useLnurlPay(recipient);
  const name = displayName(recipient, profile);
  const unavailable =
    lnurl.state === 'ready' ? undefined : lnurl.state === 'none' ? `${name} has no lightning address yet` : lnurl.state === 'failed' ? lnurl.reason : 'Looking for their lightning wallet…';
  return { name, lnurl, unavailable };
}

/**
 * The zap dialog with no button of its own, for a chat message's actions menu: it opens once the
 * recipient's wallet is known, and on closing gives focus to `opener` (the menu's button).
 */
export function ZapDialog({ open, onOpenChange, opener, ...props }: ZapButtonProps & { open: boolean; onOpenChange: (open: boolean) => void; opener: RefObject<HTMLElement | null> }) {
  const { name, lnurl } = useZapTarget(props.recipient);
  const shown = open && lnurl.state === 'ready';
  return (
    <Dialog open={shown} onOpenChange={onOpenChange}>
      <DialogContent
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          opener.current?.focus();
        }}
      >
        {shown && <ZapFlow {...props} name={name} lnurl={lnurl} />}
      </DialogContent>
    </Dialog>
  );
}

function ZapFlow({ stream, recipient, event, name, relays, channel, lnurl }: ZapButtonProps & { name: string; lnurl: Extract<ReturnType<typeof useLnurlPay>, { state: 'ready' }> }) {
  const session = useSession();
  const [sats, setSats] = useState(PRESETS[1] ?? 100);
  const [step, setStep] = useState<Step>({ at: 'form' });
  const [error, setError] = useState<string>();
  const amountId = useId();
  const commentId = useId();
  const address = formatCoordinate(stream);

  const zap = async (comment: string) => {
    if (!session.signer) throw new Error('Sign in to zap.');
    const amountMsats = sats * 1000;
    setStep({ at: 'working', what: 'Asking their wallet for an invoice…' });
    const template = buildZapRequest({ stream, recipient, amountMsats, relays: [...relays], lnurl: encodeLnurl(lnurl.url), ...(comment && { comment }), ...(event && { event }) }, unixNow());
    const request = await session.signer.signEvent(template);
    const invoice = await requestZapInvoice(lnurl.params, amountMsats, request);
    // Listening before paying: a fast wallet's receipt must not be missed.
    const paid = receiptFor(channel, address, invoice, lnurl.params.nostrPubkey ?? '', request.created_at);
    const payment = await payFromWallet(invoice, session.pubkey ?? '', (what) => setStep({ at: 'working', what })).catch((failure: unknown) => {
      paid.stop();
      throw failure;
    });
    if (payment.paid) setStep({ at: 'working', what: `Paid through ${payment.by}: waiting for the receipt…` });
    else setStep({ at: 'invoice', invoice, ...(payment.failure && { failure: payment.failure }) });
    await paid.done;
    setStep({ at: 'done', ...(payment.paid && { by: payment.by }) });
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const comment = String(new FormData(event.currentTarget).get('comment') ?? '').trim();
    setError(undefined);
    void zap(comment).catch((failure: unknown) => {
      setError(failure instanceof Error ? failure.message : String(failure));
      setStep({ at: 'form' });
    });
  };

  return (
    <>
      <DialogHeader>
        <DialogTitle>Zap {name}</DialogTitle>
        <DialogDescription>Sats go straight to {name}'s lightning wallet.</DialogDescription>
      </DialogHeader>
      {step.at === 'form' && (
        <form className="flex flex-col gap-3" onSubmit={submit}>
          <div className="grid grid-cols-3 gap-2 sm:flex sm:flex-wrap" role="group" aria-label="Amount">
            {PRESETS.map((preset) => (
              <Button key={preset} type="button" size="sm" className="pointer-coarse:h-11" variant={preset === sats ? 'default' : 'secondary'} aria-pressed={preset === sats} onClick={() => setSats(preset)}>
                {preset} sats
              </Button>
            ))}
          </div>
          <Label htmlFor={amountId}>Amount (sats)</Label>
          <Input id={amountId} type="number" min={1} step={1} required value={sats} onChange={(event) => setSats(Math.max(0, Math.floor(Number(event.target.value))))} />
          <Label htmlFor={commentId}>Comment (optional)</Label>
          <Input id={commentId} name="comment" maxLength={MAX_COMMENT} autoComplete="off" />
          {error && (
            <p role="alert" className="text-sm text-live">
              {error}
            </p>
          )}
          {!weblnProvider() && !savedNwc(session.pubkey ?? '') && (
            <p className="text-xs text-muted" data-testid="zap-no-wallet">
              You will get a QR code to pay with your phone’s wallet.{' '}
              <Link href="/settings/wallet" className="text-accent hover:underline">
                Connect a wallet
              </Link>{' '}
              to pay from here.
            </p>
          )}
          <Button type="submit" disabled={sats < 1} className="pointer-coarse:h-11">
            <ZapIcon className="h-4 w-4" aria-hidden /> Zap {sats} sats
          </Button>
        </form>
      )}
      {step.at === 'working' && <p role="status">{step.what}</p>}
      {step.at === 'invoice' && <InvoicePanel invoice={step.invoice} {...(step.failure && { failure: step.failure })} />}
      {step.at === 'done' && (
        <p role="status" className="text-lg font-semibold">
          ⚡ Zapped!{step.by && <span className="block text-sm font-normal text-muted">Paid through {step.by}.</span>}
        </p>
      )}
    </>
  );
}

/** Resolves when a valid receipt of `invoice` reaches the channel's relays. */
function receiptFor(channel: ChatChannel, address: string, invoice: string, nostrPubkey: string, since: number): { done: Promise<void>; stop(): void } {
  let stop = () => {};
  const done = new Promise<void>((resolve) => {
    stop = channel.subscribe({ kinds: [KIND.zapReceipt], '#a': [address], since: since - 60 }, (event) => {
      const ours = event.tags.some((tag) => tag[0] === 'bolt11' && tag[1] === invoice);
      if (ours && validateZapReceipt(event, { nostrPubkey, stream: address }).ok) {
        stop();
        resolve();
      }
    });
  });
  return { done, stop: () => stop() };
}

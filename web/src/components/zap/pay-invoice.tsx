import QRCode from 'qrcode';
import { useEffect, useId, useState } from 'react';
import { payWithNwc, savedNwc } from '../../lib/nwc';
import { weblnProvider } from '../../lib/webln';
import { Button } from '../ui/button';
import { Label } from '../ui/label';

/** Paid by a wallet of the viewer's (and which, in words), or left for the viewer to pay (with why the saved wallet could not). */
export type WalletPayment = { readonly paid: true; readonly by: string } | { readonly paid: false; readonly failure?: string };

/**
 * Pays `invoice` the first way this browser offers: its WebLN wallet, else the Nostr Wallet Connect
 * connection `pubkey` saved here; with neither, or when the NWC wallet fails, the invoice is left to
 * show as a QR. A WebLN refusal throws: the viewer's own extension said no, so the zap stops there.
 */
export async function payFromWallet(invoice: string, pubkey: string, say: (what: string) => void): Promise<WalletPayment> {
  const webln = weblnProvider();
  if (webln) {
    say('Paying with your browser wallet…');
    try {
      await webln.enable();
      await webln.sendPayment(invoice);
    } catch (failure) {
      throw new Error(`Your browser wallet did not pay: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
    return { paid: true, by: 'your browser wallet' };
  }
  const nwc = savedNwc(pubkey);
  if (!nwc) return { paid: false };
  const where = new URL(nwc.relays[0] ?? '').host;
  say(`Paying through your wallet (Nostr Wallet Connect, ${where})…`);
  try {
    await payWithNwc(nwc, invoice);
    return { paid: true, by: `your wallet (Nostr Wallet Connect, ${where})` };
  } catch (failure) {
    return { paid: false, failure: `${failure instanceof Error ? failure.message : String(failure)} Pay the invoice below with another wallet instead.` };
  }
}

/** The invoice as a QR code and as text to copy, waiting for it to be paid elsewhere. */
export function InvoicePanel({ invoice, failure }: { readonly invoice: string; readonly failure?: string }) {
  const [qr, setQr] = useState<string>();
  const [copied, setCopied] = useState<string>();
  const invoiceId = useId();
  useEffect(() => {
    let current = true;
    void QRCode.toDataURL(`lightning:${invoice}`, { margin: 1, width: 240 }).then((url) => {
      if (current) setQr(url);
    });
    return () => {
      current = false;
    };
  }, [invoice]);

  const copy = () =>
    void navigator.clipboard.writeText(invoice).then(
      () => setCopied('Copied.'),
      () => setCopied('Could not copy: select the invoice text and copy it.'),
    );

  return (
    <div className="flex flex-col items-center gap-3">
      {failure && (
        <p role="alert" className="self-start text-sm text-live">
          {failure}
        </p>
      )}
      {qr ? <img src={qr} alt="Lightning invoice QR code" data-testid="zap-qr" className="h-60 w-60 rounded bg-white" /> : <div className="h-60 w-60 rounded bg-surface-2" aria-hidden />}
      <Label htmlFor={invoiceId} className="self-start">
        Lightning invoice
      </Label>
      <textarea id={invoiceId} readOnly value={invoice} data-testid="zap-invoice" rows={3} className="w-full break-all rounded-md border border-border bg-surface-2 p-2 text-xs" />
      <div className="flex flex-wrap justify-center gap-2">
        <Button type="button" variant="secondary" onClick={copy} className="pointer-coarse:h-11">
          Copy invoice
        </Button>
        {/* On a phone the QR cannot be scanned by the phone showing it: hand the invoice to its wallet app. */}
        <Button asChild variant="secondary" className="pointer-coarse:h-11">
          <a href={`lightning:${invoice}`}>Open in wallet app</a>
        </Button>
      </div>
      {copied && <p className="text-xs text-muted">{copied}</p>}
      <p role="status">Waiting for payment…</p>
    </div>
  );
}

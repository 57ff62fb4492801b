import { NWCWalletInfo, NWCWalletRequest, NWCWalletResponse } from 'nostr-tools/kinds';
import { decrypt, encrypt } from 'nostr-tools/nip04';
import { finalizeEvent, generateSecretKey, getPublicKey, type VerifiedEvent } from 'nostr-tools/pure';
import { bytesToHex } from 'nostr-tools/utils';
import { z } from 'zod';
import type { LnurlWallet } from './lnurl-wallet.js';
import { Relay } from './relay-client.js';

/**
 * The wallet service side of NIP-47 Nostr Wallet Connect, standing in for the viewer's NWC wallet
 * (Alby Hub, Mutiny's or Coinos' NWC service): it announces `pay_invoice` (kind 13194) on a relay,
 * answers kind 23194 requests from the connection's key with kind 23195 (NIP-04, as NIP-47's
 * first version and nostr-tools speak it), and "pays" through `wallet.pay`, so a zap invoice of
 * that wallet gets its real 9735 receipt. An invoice `wallet` did not issue fails as an unroutable
 * payment would: PAYMENT_FAILED.
 *
 *   const nwc = await startNwcWallet(hostWallet, relayUrl);
 *   localStorage … nwc.connectionUri     // nostr+walletconnect://<wallet>?relay=…&secret=…
 *   nwc.close();
 */
export interface NwcWallet {
  readonly connectionUri: string;
  /** The methods asked for so far, oldest first, with the error code of each that failed. */
  readonly requests: readonly { readonly method: string; readonly error?: string }[];
  close(): void;
}

const requestSchema = z.object({ method: z.string(), params: z.object({ invoice: z.string().optional() }).loose() });

type Answer = { readonly result: { readonly preimage: string } } | { readonly error: { readonly code: string; readonly message: string } };

export async function startNwcWallet(wallet: Pick<LnurlWallet, 'pay'>, relayUrl: string): Promise<NwcWallet> {
  const walletSecret = generateSecretKey();
  const walletPubkey = getPublicKey(walletSecret);
  const clientSecret = generateSecretKey();
  const clientPubkey = getPublicKey(clientSecret);
  const requests: { method: string; error?: string }[] = [];
  const relay = await Relay.connect(relayUrl);
  await relay.publish(signed(NWCWalletInfo, 'pay_invoice', []));

  function signed(kind: number, content: string, tags: string[][]): VerifiedEvent {
    return finalizeEvent({ kind, created_at: Math.floor(Date.now() / 1000), tags, content }, walletSecret);
  }

  async function answer(request: VerifiedEvent): Promise<Answer & { readonly method: string }> {
    // A real service knows only the keys of the connections it made.
    if (request.pubkey !== clientPubkey) return { method: 'unknown', error: { code: 'UNAUTHORIZED', message: 'no wallet is connected to this key' } };
    let body: z.infer<typeof requestSchema>;
    try {
      body = requestSchema.parse(JSON.parse(decrypt(walletSecret, request.pubkey, request.content)));
    } catch {
      return { method: 'unknown', error: { code: 'OTHER', message: 'the request is not NIP-04 encrypted NIP-47 JSON' } };
    }
    const outcome = await perform(body);
    requests.push({ method: body.method, ...('error' in outcome && { error: outcome.error.code }) });
    return { method: body.method, ...outcome };
  }

  async function perform({ method, params }: z.infer<typeof requestSchema>): Promise<Answer> {
    if (method !== 'pay_invoice') return { error: { code: 'NOT_IMPLEMENTED', message: `${method} is not offered by this wallet` } };
    if (!params.invoice) return { error: { code: 'OTHER', message: 'pay_invoice needs an invoice' } };
    try {
      const { preimage } = await wallet.pay(params.invoice);
      return { result: { preimage } };
    } catch (failure) {
      return { error: { code: 'PAYMENT_FAILED', message: `no route to the payee: ${(failure as Error).message}` } };
    }
  }

  relay.subscribe([{ kinds: [NWCWalletRequest], '#p': [walletPubkey] }], {
    onevent: (event) => {
      const request = event as VerifiedEvent;
      void answer(request).then(({ method, ...outcome }) => {
        const content = encrypt(walletSecret, request.pubkey, JSON.stringify({ result_type: method, ...outcome }));
        // An answer still in flight when the test closes the wallet is simply never delivered.
        relay.publish(signed(NWCWalletResponse, content, [['p', request.pubkey], ['e', request.id]])).catch(() => undefined);
      });
    },
  });

  const query = new URLSearchParams({ relay: relayUrl, secret: bytesToHex(clientSecret) });
  return { connectionUri: `nostr+walletconnect://${walletPubkey}?${query.toString()}`, requests, close: () => relay.close() };
}

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { finalizeEvent, generateSecretKey, getPublicKey, type VerifiedEvent } from 'nostr-tools/pure';
import { z } from 'zod';
import { KIND } from '../src/protocol/kinds.js';
import { tagsNamed, tagValue } from '../src/protocol/nostr-event.js';
import { descriptionHash, parseZapRequestJson } from '../src/protocol/zap.js';
import { testInvoice } from './lightning-invoice.js';
import { publishTo } from './relay-client.js';

/**
 * The Lightning side of a zap, as the streamer's wallet provider runs it: a real LNURL-pay
 * service over HTTP (LUD-06/LUD-16 with NIP-57's allowsNostr) that issues real BOLT11 invoices,
 * and a payment stand-in (for NWC/WebLN) that publishes the real kind 9735 receipt to the relays
 * the zap request names. No money moves: paying an invoice this wallet issued is the whole payment.
 *
 *   const wallet = await startLnurlWallet('streamer');
 *   profile.lud16 = wallet.lud16;            // streamer@127.0.0.1:<port>, reached over http
 *   const receipt = await wallet.pay(invoice); // or window.webln.sendPayment in a browser
 */
export const MIN_SENDABLE_MSATS = 1000;
export const MAX_SENDABLE_MSATS = 100_000_000;

export interface LnurlWallet {
  readonly name: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `name@127.0.0.1:<port>`; lnurlPayUrl reads loopback addresses as http. */
  readonly lud16: string;
  /** The LNURL-pay endpoint (LUD-16 well-known). */
  readonly payUrl: string;
  /** Signs the receipts. */
  readonly nostrPubkey: string;
  /** The receipts published so far, oldest first. */
  readonly receipts: readonly VerifiedEvent[];
  /** Pays an invoice this wallet issued and publishes its receipt (for a zap invoice). */
  pay(invoice: string): Promise<{ preimage: string; receipt?: VerifiedEvent }>;
  close(): Promise<void>;
}

interface Issued {
  /** The zap request JSON, when the invoice is for a zap. */
  readonly zapRequest?: string;
  readonly preimage: string;
  paid: boolean;
}

const callbackQuery = z.object({
  amount: z.coerce.number().int().min(MIN_SENDABLE_MSATS).max(MAX_SENDABLE_MSATS),
  nostr: z.string().optional(),
});

const payBody = z.object({ invoice: z.string().min(1) });

class LnurlRefusal extends Error {}

export async function startLnurlWallet(name = 'streamer'): Promise<LnurlWallet> {
  const key = generateSecretKey();
  const nostrPubkey = getPublicKey(key);
  const issued = new Map<string, Issued>();
  const receipts: VerifiedEvent[] = [];
  const server = createServer((request, response) => {
    void answer(request, response).catch((error: unknown) => {
      const refused = error instanceof LnurlRefusal || error instanceof z.ZodError || error instanceof SyntaxError;
      const reason = error instanceof z.ZodError ? (error.issues[0]?.message ?? 'bad request') : String((error as Error).message);
      send(response, refused ? 400 : 500, { status: 'ERROR', reason });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const host = new URL(url).host;
  const metadata = JSON.stringify([
    ['text/plain', `Zap ${name} on Wavlake Live`],
    ['text/identifier', `${name}@${host}`],
  ]);

  // NIP-57 appendix D: what the LNURL server checks before it issues a zap invoice.
  function checkZapRequest(text: string, amount: number): void {
    const request = parseZapRequestJson(text);
    if (!request.ok) throw new LnurlRefusal(request.reason);
    const event = request.value;
    if (event.tags.length === 0) throw new LnurlRefusal('the zap request has no tags');
    if (tagsNamed(event, 'p').length !== 1) throw new LnurlRefusal('the zap request must have exactly one p tag');
    if (tagsNamed(event, 'e').length > 1) throw new LnurlRefusal('the zap request may have at most one e tag');
    if (tagsNamed(event, 'relays').length === 0) throw new LnurlRefusal('the zap request has no relays tag');
    const requested = tagValue(event, 'amount');
    if (requested !== undefined && Number(requested) !== amount) throw new LnurlRefusal('amount does not match the zap request');
  }

  async function pay(invoice: string): Promise<{ preimage: string; receipt?: VerifiedEvent }> {
    const entry = issued.get(invoice);
    if (!entry) throw new LnurlRefusal('this wallet did not issue that invoice');
    if (entry.paid) throw new LnurlRefusal('the invoice is already paid');
    entry.paid = true;
    const { preimage } = entry;
    if (!entry.zapRequest) return { preimage };
    // parseZapRequestJson passed when the invoice was issued.
    const request = JSON.parse(entry.zapRequest) as VerifiedEvent;
    const copied = ['p', 'a', 'e'].flatMap((name) => tagsNamed(request, name).slice(0, 1).map((tag) => [...tag]));
    const receipt = finalizeEvent(
      {
        kind: KIND.zapReceipt,
        created_at: Math.floor(Date.now() / 1000),
        tags: [...copied, ['P', request.pubkey], ['bolt11', invoice], ['description', entry.zapRequest], ['preimage', preimage]],
        content: '',
      },
      key,
    );
    const relays = tagsNamed(request, 'relays')[0]?.slice(1) ?? [];
    await Promise.all(relays.map((relay) => publishTo(relay, receipt)));
    receipts.push(receipt);
    return { preimage, receipt };
  }

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', url);
    if (request.method === 'OPTIONS') return send(response, 204, undefined);
    if (request.method === 'GET' && path.pathname === `/.well-known/lnurlp/${name}`) {
      return send(response, 200, {
        tag: 'payRequest',
        callback: `${url}/lnurlp/${name}/callback`,
        minSendable: MIN_SENDABLE_MSATS,
        maxSendable: MAX_SENDABLE_MSATS,
        metadata,
        commentAllowed: 280,
        allowsNostr: true,
        nostrPubkey,
      });
    }
    if (request.method === 'GET' && path.pathname === `/lnurlp/${name}/callback`) {
      const query = callbackQuery.parse(Object.fromEntries(path.searchParams));
      if (query.nostr !== undefined) checkZapRequest(query.nostr, query.amount);
      const preimage = randomBytes(32).toString('hex');
      const pr = testInvoice({ amountMsats: query.amount, descriptionHash: descriptionHash(query.nostr ?? metadata), preimage });
      issued.set(pr, { ...(query.nostr === undefined ? {} : { zapRequest: query.nostr }), preimage, paid: false });
      return send(response, 200, { pr, routes: [] });
    }
    if (request.method === 'POST' && path.pathname === '/pay') {
      const body = payBody.parse(JSON.parse(await readBody(request)));
      const { preimage, receipt } = await pay(body.invoice);
      return send(response, 200, { preimage, ...(receipt ? { receipt: receipt.id } : {}) });
    }
    send(response, 404, { status: 'ERROR', reason: `no such LNURL endpoint: ${path.pathname}` });
  }

  return {
    name,
    url,
    lud16: `${name}@${host}`,
    payUrl: `${url}/.well-known/lnurlp/${name}`,
    nostrPubkey,
    receipts,
    pay,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A WebLN provider for a browser page (page.addInitScript): `sendPayment(invoice)` pays through
 * the wallet's HTTP pay endpoint, as a browser extension wallet would pay over Lightning.
 */
export const weblnInitScript = (wallet: Pick<LnurlWallet, 'url'>): string => `
  window.webln = {
    enabled: false,
    async enable() { this.enabled = true; },
    async sendPayment(paymentRequest) {
      const response = await fetch(${JSON.stringify(`${wallet.url}/pay`)}, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ invoice: paymentRequest }),
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(answer.reason);
      return { preimage: answer.preimage };
    },
  };
`;

function send(response: ServerResponse, status: number, body: unknown): void {
  // Browser tests fetch the LNURL endpoints and pay from the app's origin.
  response.writeHead(status, {
    'access-control-allow-origin': '*',
    'access-control-allow-headers': 'content-type',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  });
  response.end(body === undefined ? undefined : JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}

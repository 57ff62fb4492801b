import type { VerifiedEvent } from 'nostr-tools/pure';
import { tagValue } from '../src/protocol/nostr-event.js';
import { lnurlPayParamsSchema, lnurlPayUrl, type LnurlPayParams } from '../src/protocol/zap.js';
import type { LnurlWallet } from './lnurl-wallet.js';

export interface ZapInvoiceAnswer {
  readonly params: LnurlPayParams;
  readonly status: number;
  readonly body: { pr?: string; status?: string; reason?: string };
}

/**
 * What a payer's client does over HTTP (NIP-57 appendix B): the recipient's LNURL-pay
 * parameters from their lightning address, then the callback's answer for a signed zap request,
 * asking for the request's own amount unless `askMsats` says otherwise.
 *
 *   const { body } = await fetchZapInvoice(wallet, viewer.sign(buildZapRequest(draft, now)));
 */
export async function fetchZapInvoice(wallet: Pick<LnurlWallet, 'lud16'>, request: VerifiedEvent, askMsats?: number): Promise<ZapInvoiceAnswer> {
  const endpoint = lnurlPayUrl({ lud16: wallet.lud16 });
  if (!endpoint) throw new Error(`${wallet.lud16} is not a lightning address`);
  const params = lnurlPayParamsSchema.parse(await (await fetch(endpoint)).json());
  const callback = new URL(params.callback);
  callback.searchParams.set('amount', String(askMsats ?? tagValue(request, 'amount') ?? ''));
  callback.searchParams.set('nostr', JSON.stringify(request));
  const response = await fetch(callback);
  return { params, status: response.status, body: (await response.json()) as ZapInvoiceAnswer['body'] };
}

/** A zap paid end to end: the invoice for `request`, paid by the recipient's wallet, which publishes the receipt returned. */
export async function payZap(wallet: LnurlWallet, request: VerifiedEvent): Promise<VerifiedEvent> {
  const { body } = await fetchZapInvoice(wallet, request);
  if (!body.pr) throw new Error(`the wallet gave no invoice: ${body.reason ?? 'no reason'}`);
  const { receipt } = await wallet.pay(body.pr);
  if (!receipt) throw new Error('the wallet published no receipt');
  return receipt;
}

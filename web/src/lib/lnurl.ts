import { useQueries, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { lnurlPayParamsSchema, lnurlPayUrl, zapServerKey, type LnurlPayParams } from '../../../src/protocol/zap';
import type { NostrEvent } from './nostr';
import { profileOf, profileQuery, useProfile, useProfileRelays } from './profiles';

/** What the page knows of where a host is paid: nothing yet, no address at all, an endpoint that failed, or one that takes zaps. */
export type LnurlPay =
  | { readonly state: 'loading' }
  | { readonly state: 'none' }
  | { readonly state: 'failed'; readonly reason: string }
  | { readonly state: 'ready'; readonly url: string; readonly params: LnurlPayParams };

async function readParams(url: string): Promise<LnurlPayParams> {
  let answer: Response;
  try {
    answer = await fetch(url, { headers: { accept: 'application/json' } });
  } catch {
    throw new Error(`Their lightning wallet (${new URL(url).host}) did not answer.`);
  }
  const body: unknown = await answer.json().catch(() => undefined);
  const params = lnurlPayParamsSchema.safeParse(body);
  if (!answer.ok || !params.success) {
    const reason = z.object({ reason: z.string() }).safeParse(body);
    throw new Error(`Their lightning wallet (${new URL(url).host}) refused: ${reason.success ? reason.data.reason : `HTTP ${answer.status}, not LNURL-pay`}.`);
  }
  if (!zapServerKey(params.data)) throw new Error('Their lightning wallet does not take zaps (no Nostr support).');
  return params.data;
}

const lnurlQuery = (url: string | undefined) => ({ queryKey: ['lnurlp', url], enabled: url !== undefined, staleTime: Infinity, retry: 1, queryFn: () => readParams(url ?? '') });

/**
 * The host's LNURL-pay endpoint (from their kind 0's lud16, else lud06) and its parameters,
 * read once per endpoint and kept: the receipts of every zap are checked against its nostrPubkey.
 */
export function useLnurlPay(pubkey: string | undefined): LnurlPay {
  const { data: profile } = useProfile(pubkey);
  const url = profile ? lnurlPayUrl(profile) : undefined;
  const query = useQuery(lnurlQuery(url));
  if (profile === undefined) return { state: 'loading' };
  if (!url) return { state: 'none' };
  if (query.error) return { state: 'failed', reason: query.error.message };
  return query.data ? { state: 'ready', url, params: query.data } : { state: 'loading' };
}

/**
 * The LNURL server key (`nostrPubkey`) of each of `pubkeys` whose kind 0 names a wallet that takes
 * zaps: a zap receipt to that user is believed only when that key signed it. Read once per user and kept.
 */
export function useLnurlNostrPubkeys(pubkeys: readonly string[]): ReadonlyMap<string, string> {
  const relays = useProfileRelays();
  const profiles = useQueries({ queries: pubkeys.map((pubkey) => profileQuery(relays, pubkey)) });
  const urls = profiles.map((profile) => {
    const fields = profile.data === undefined ? null : profileOf(profile.data);
    return fields ? lnurlPayUrl(fields) : undefined;
  });
  const params = useQueries({ queries: urls.map(lnurlQuery) });
  const keys = new Map<string, string>();
  pubkeys.forEach((pubkey, index) => {
    const key = params[index]?.data?.nostrPubkey;
    if (key) keys.set(pubkey, key);
  });
  return keys;
}

const invoiceSchema = z.object({ pr: z.string().min(1) });

/** Asks the endpoint's callback for an invoice of `amountMsats` carrying the signed zap request (NIP-57 appendix B). */
export async function requestZapInvoice(params: LnurlPayParams, amountMsats: number, zapRequest: NostrEvent): Promise<string> {
  if (amountMsats < params.minSendable || amountMsats > params.maxSendable) {
    throw new Error(`Their wallet takes between ${Math.ceil(params.minSendable / 1000)} and ${Math.floor(params.maxSendable / 1000)} sats.`);
  }
  const callback = new URL(params.callback);
  callback.searchParams.set('amount', String(amountMsats));
  callback.searchParams.set('nostr', JSON.stringify(zapRequest));
  let answer: Response;
  try {
    answer = await fetch(callback, { headers: { accept: 'application/json' } });
  } catch {
    throw new Error(`Their lightning wallet (${callback.host}) did not answer with an invoice.`);
  }
  const body: unknown = await answer.json().catch(() => undefined);
  const invoice = invoiceSchema.safeParse(body);
  if (answer.ok && invoice.success) return invoice.data.pr;
  const reason = z.object({ reason: z.string() }).safeParse(body);
  throw new Error(`Their lightning wallet gave no invoice: ${reason.success ? reason.data.reason : `HTTP ${answer.status}`}.`);
}

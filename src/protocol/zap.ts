import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { bech32 } from '@scure/base';
import { decode as decodeBolt11 } from 'light-bolt11-decoder';
import { verifyEvent } from 'nostr-tools/pure';
import { z } from 'zod';
import { formatCoordinate, type Coordinate } from './coordinate.js';
import type { EventTemplate, ReceivedEvent } from './event-template.js';
import { KIND } from './kinds.js';
import { isHexPubkey, nostrEventSchema, tagValue } from './nostr-event.js';
import { parsed, rejected, type Parsed } from './result.js';

/**
 * NIP-57 zaps to a live event: the payer's zap request (kind 9734) and the LNURL server's
 * receipt (kind 9735), believed only when it passes NIP-57 appendix F.
 *
 *   const template = buildZapRequest({ stream, recipient: host, amountMsats: 21_000, relays }, now);
 *   const zap = validateZapReceipt(receipt, { nostrPubkey: params.nostrPubkey, stream: coordinateText });
 */
export interface ZapRequestDraft {
  readonly stream: Coordinate;
  /** The streamer: zaps go to them, never to the service. */
  readonly recipient: string;
  readonly amountMsats: number;
  /** Where the LNURL server publishes the receipt. */
  readonly relays: readonly string[];
  readonly comment?: string;
  /** The recipient's bech32 lnurl, when known (NIP-57 appendix A). */
  readonly lnurl?: string;
  /** A chat message zapped (its author is then the recipient). */
  readonly event?: string;
}

export interface Zap {
  readonly receiptId: string;
  /** The payer: the zap request's author. */
  readonly sender: string;
  readonly recipient: string;
  readonly amountMsats: number;
  readonly comment: string;
  /** The coordinate text of the live event zapped. */
  readonly stream: string;
  /** The chat message zapped, when the zap was to a message. */
  readonly event?: string;
  readonly paidAt: number;
}

export function buildZapRequest(draft: ZapRequestDraft, createdAt: number): EventTemplate {
  const tags: string[][] = [
    ['p', draft.recipient],
    ['a', formatCoordinate(draft.stream)],
    ...(draft.event ? [['e', draft.event]] : []),
    ['amount', String(draft.amountMsats)],
    ['relays', ...draft.relays],
    ...(draft.lnurl ? [['lnurl', draft.lnurl]] : []),
  ];
  return { kind: KIND.zapRequest, created_at: createdAt, tags, content: draft.comment ?? '' };
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The LNURL-pay endpoint of a kind 0 profile: `lud16` (LUD-16 name@domain) first, else `lud06`
 * (bech32 LNURL). LUD-16 means https; a loopback domain gets http so a wallet on this machine
 * (the test suite's, a developer's) can be reached without a certificate.
 */
export function lnurlPayUrl(profile: { readonly lud16?: string; readonly lud06?: string }): string | undefined {
  const address = profile.lud16?.trim().toLowerCase();
  if (address) {
    const at = address.lastIndexOf('@');
    const name = address.slice(0, at);
    const domain = address.slice(at + 1);
    if (at > 0 && domain && /^[a-z0-9\-_.+]+$/.test(name)) {
      const scheme = LOCAL_HOSTS.has(domain.replace(/:\d+$/, '')) ? 'http' : 'https';
      return `${scheme}://${domain}/.well-known/lnurlp/${name}`;
    }
  }
  const lnurl = profile.lud06?.trim().toLowerCase();
  if (!lnurl) return undefined;
  try {
    const { prefix, words } = bech32.decode(lnurl as `${string}1${string}`, 2000);
    if (prefix !== 'lnurl') return undefined;
    const url = new TextDecoder().decode(bech32.fromWords(words));
    return /^https?:\/\//.test(url) ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The bech32 `lnurl…` of an LNURL-pay URL (LUD-01), as a zap request's `lnurl` tag carries it. */
export const encodeLnurl = (url: string): string => bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode(url)), 2000);

/** The LUD-06 pay parameters an LNURL-pay endpoint answers, with the NIP-57 fields. */
export const lnurlPayParamsSchema = z.object({
  tag: z.literal('payRequest').optional(),
  callback: z.url(),
  minSendable: z.number().int().positive(),
  maxSendable: z.number().int().positive(),
  metadata: z.string(),
  allowsNostr: z.boolean().optional(),
  nostrPubkey: z.string().refine(isHexPubkey, 'nostrPubkey must be 64 lowercase hex characters').optional(),
  commentAllowed: z.number().int().nonnegative().optional(),
});
export type LnurlPayParams = z.infer<typeof lnurlPayParamsSchema>;

/** The key that signs an endpoint's zap receipts (NIP-57): only an endpoint with `allowsNostr` and a `nostrPubkey` takes zaps. */
export const zapServerKey = (params: LnurlPayParams): string | undefined => (params.allowsNostr ? params.nostrPubkey : undefined);

/** The sha256 of a zap request's JSON, as the invoice's description_hash commits to it. */
export const descriptionHash = (description: string): string => bytesToHex(sha256(utf8ToBytes(description)));

interface DecodedInvoice {
  readonly amountMsats: number;
  readonly descriptionHash: string | undefined;
}

function decodeInvoice(invoice: string): Parsed<DecodedInvoice> {
  try {
    const sections = decodeBolt11(invoice).sections;
    const amount = sections.find((section) => section.name === 'amount');
    if (!amount || !('value' in amount)) return rejected('the bolt11 invoice has no amount');
    // description_hash is missing from the library's Section union though it decodes it.
    const hash = (sections as readonly { name: string; value?: unknown }[]).find((section) => section.name === 'description_hash');
    return parsed({
      amountMsats: Number(amount.value),
      descriptionHash: typeof hash?.value === 'string' ? hash.value : undefined,
    });
  } catch (error) {
    return rejected(`the bolt11 invoice does not decode: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** NIP-57 appendix F: whether a receipt proves that a zap to `expected.stream` was paid. */
export function validateZapReceipt(
  receipt: ReceivedEvent,
  expected: { readonly nostrPubkey: string; readonly stream: string },
): Parsed<Zap> {
  if (receipt.kind !== KIND.zapReceipt) return rejected(`kind ${receipt.kind} is not a zap receipt (${KIND.zapReceipt})`);
  if (receipt.pubkey !== expected.nostrPubkey) return rejected("the receipt is not signed by the recipient's LNURL server (nostrPubkey)");
  const description = tagValue(receipt, 'description');
  const bolt11 = tagValue(receipt, 'bolt11');
  if (description === undefined) return rejected('the receipt has no description tag');
  if (bolt11 === undefined) return rejected('the receipt has no bolt11 tag');
  const request = parseZapRequestJson(description);
  if (!request.ok) return request;
  const { value: zapRequest } = request;
  if (tagValue(zapRequest, 'a') !== expected.stream) return rejected('the zap request is for another stream');
  const invoice = decodeInvoice(bolt11);
  if (!invoice.ok) return invoice;
  const amountTag = tagValue(zapRequest, 'amount');
  if (amountTag === undefined) return rejected('the zap request has no amount tag to check the invoice against');
  if (Number(amountTag) !== invoice.value.amountMsats) {
    return rejected(`the invoice pays ${invoice.value.amountMsats} msats, the zap request asked for ${amountTag}`);
  }
  if (invoice.value.descriptionHash !== undefined && invoice.value.descriptionHash !== descriptionHash(description)) {
    return rejected("the invoice's description_hash is not the sha256 of the zap request");
  }
  const recipient = tagValue(zapRequest, 'p');
  if (recipient === undefined || !isHexPubkey(recipient)) return rejected('the zap request has no p tag naming the recipient');
  const event = tagValue(zapRequest, 'e');
  return parsed({
    receiptId: receipt.id,
    sender: zapRequest.pubkey,
    recipient,
    amountMsats: invoice.value.amountMsats,
    comment: zapRequest.content,
    stream: expected.stream,
    ...(event ? { event } : {}),
    paidAt: receipt.created_at,
  });
}

/** A zap request as JSON text (the callback's `nostr` parameter, the receipt's description). */
export function parseZapRequestJson(text: string): Parsed<z.infer<typeof nostrEventSchema>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return rejected('the zap request is not JSON');
  }
  const shape = nostrEventSchema.safeParse(json);
  if (!shape.success) return rejected(`the zap request is not a Nostr event: ${shape.error.issues[0]?.message ?? 'bad shape'}`);
  const event = shape.data;
  if (event.kind !== KIND.zapRequest) return rejected(`the zap request is kind ${event.kind}, not ${KIND.zapRequest}`);
  if (!verifyEvent(event)) return rejected('the zap request signature does not verify');
  return parsed(event);
}

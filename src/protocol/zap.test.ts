import { bech32 } from '@scure/base';
import { finalizeEvent, generateSecretKey, getPublicKey, type VerifiedEvent } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { testInvoice } from '../../testkit/lightning-invoice.js';
import { formatCoordinate, liveEventCoordinate } from './coordinate.js';
import { buildZapRequest, descriptionHash, encodeLnurl, lnurlPayUrl, validateZapReceipt } from './zap.js';

const payer = generateSecretKey();
const host = getPublicKey(generateSecretKey());
const serverKey = generateSecretKey();
const nostrPubkey = getPublicKey(serverKey);
const stream = liveEventCoordinate(host, 'stream-1');
const coordinate = formatCoordinate(stream);
const relays = ['ws://127.0.0.1:7777'];

const zapRequest = (amountMsats = 21_000, target = stream): VerifiedEvent =>
  finalizeEvent(buildZapRequest({ stream: target, recipient: host, amountMsats, relays, comment: 'great set' }, 100), payer);

/** A receipt as an LNURL server signs it (NIP-57 appendix E). */
function receipt(options: { request?: string; invoiceMsats?: number | null; key?: Uint8Array; bolt11?: string } = {}) {
  const description = options.request ?? JSON.stringify(zapRequest());
  const invoice =
    options.bolt11 ??
    testInvoice({
      ...(options.invoiceMsats === null ? {} : { amountMsats: options.invoiceMsats ?? 21_000 }),
      descriptionHash: descriptionHash(description),
    });
  return finalizeEvent(
    {
      kind: 9735,
      created_at: 200,
      tags: [['p', host], ['a', coordinate], ['bolt11', invoice], ['description', description]],
      content: '',
    },
    options.key ?? serverKey,
  );
}

const expected = { nostrPubkey, stream: coordinate };

describe('NIP-57 zap request', () => {
  it('carries the recipient, the stream, the amount, the relays and the comment', () => {
    const template = buildZapRequest(
      { stream, recipient: host, amountMsats: 5000, relays: ['wss://a', 'wss://b'], comment: 'hi', lnurl: 'lnurl1xyz' },
      100,
    );
    expect(template).toEqual({
      kind: 9734,
      created_at: 100,
      tags: [['p', host], ['a', coordinate], ['amount', '5000'], ['relays', 'wss://a', 'wss://b'], ['lnurl', 'lnurl1xyz']],
      content: 'hi',
    });
  });

  it('names a zapped chat message with e and leaves the comment empty when there is none', () => {
    const template = buildZapRequest({ stream, recipient: host, amountMsats: 1000, relays, event: 'e'.repeat(64) }, 1);
    expect(template.tags).toContainEqual(['e', 'e'.repeat(64)]);
    expect(template.content).toBe('');
  });
});

describe('LNURL-pay endpoint of a profile', () => {
  it('reads lud16 as https, loopback as http, and lud06 as bech32', () => {
    expect(lnurlPayUrl({ lud16: 'Alice@wallet.example' })).toBe('https://wallet.example/.well-known/lnurlp/alice');
    expect(lnurlPayUrl({ lud16: 'bob@127.0.0.1:4321' })).toBe('http://127.0.0.1:4321/.well-known/lnurlp/bob');
    const url = 'https://pay.example/lnurlp/carol';
    const lud06 = bech32.encode('lnurl', bech32.toWords(new TextEncoder().encode(url)), 2000);
    expect(lnurlPayUrl({ lud06 })).toBe(url);
    // The zap request's lnurl tag: the same LUD-01 encoding, read back to the same endpoint.
    expect(encodeLnurl(url)).toBe(lud06);
    expect(lnurlPayUrl({ lud06: encodeLnurl(url) })).toBe(url);
    expect(lnurlPayUrl({ lud16: 'not-an-address', lud06: 'garbage' })).toBeUndefined();
    expect(lnurlPayUrl({})).toBeUndefined();
  });
});

describe('NIP-57 appendix F receipt validation', () => {
  it('believes a receipt from the LNURL server for this stream and amount', () => {
    const request = zapRequest();
    const event = receipt({ request: JSON.stringify(request) });
    expect(validateZapReceipt(event, expected)).toEqual({
      ok: true,
      value: { receiptId: event.id, sender: request.pubkey, recipient: host, amountMsats: 21_000, comment: 'great set', stream: coordinate, paidAt: 200 },
    });
  });

  it('refuses a receipt signed by anyone but the nostrPubkey', () => {
    expect(validateZapReceipt(receipt({ key: generateSecretKey() }), expected)).toMatchObject({ ok: false, reason: expect.stringMatching(/nostrPubkey/) });
  });

  it('refuses an invoice whose amount is not the requested one', () => {
    expect(validateZapReceipt(receipt({ invoiceMsats: 1000 }), expected)).toMatchObject({ ok: false, reason: expect.stringMatching(/1000 msats/) });
  });

  it('refuses an invoice without an amount, and a request without one', () => {
    expect(validateZapReceipt(receipt({ invoiceMsats: null }), expected)).toMatchObject({ ok: false, reason: expect.stringMatching(/no amount/) });
    const request = zapRequest();
    const unsigned = { ...request, tags: request.tags.filter((tag) => tag[0] !== 'amount') };
    const resigned = finalizeEvent({ kind: 9734, created_at: 1, tags: unsigned.tags, content: '' }, payer);
    expect(validateZapReceipt(receipt({ request: JSON.stringify(resigned) }), expected)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/no amount tag/),
    });
  });

  it('refuses a zap request for another stream', () => {
    const other = JSON.stringify(zapRequest(21_000, liveEventCoordinate(host, 'other')));
    expect(validateZapReceipt(receipt({ request: other }), expected)).toMatchObject({ ok: false, reason: expect.stringMatching(/another stream/) });
  });

  it('refuses a malformed bolt11', () => {
    expect(validateZapReceipt(receipt({ bolt11: 'lnbc1notaninvoice' }), expected)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not decode/) });
  });

  it('refuses a description that is not a signed 9734', () => {
    const request = zapRequest();
    const forged = JSON.stringify({ ...request, content: 'edited after signing' });
    expect(validateZapReceipt(receipt({ request: forged }), expected)).toMatchObject({ ok: false, reason: expect.stringMatching(/signature/) });
    const note = JSON.stringify(finalizeEvent({ kind: 1, created_at: 1, tags: [['a', coordinate]], content: '' }, payer));
    expect(validateZapReceipt(receipt({ request: note }), expected)).toMatchObject({ ok: false, reason: expect.stringMatching(/kind 1/) });
    expect(validateZapReceipt(receipt({ request: 'not json' }), expected)).toMatchObject({ ok: false, reason: expect.stringMatching(/not JSON/) });
  });

  it('refuses an invoice committing to another description', () => {
    const bolt11 = testInvoice({ amountMsats: 21_000, descriptionHash: descriptionHash('something else') });
    expect(validateZapReceipt(receipt({ bolt11 }), expected)).toMatchObject({ ok: false, reason: expect.stringMatching(/description_hash/) });
  });
});

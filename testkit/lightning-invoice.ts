import { createHash, randomBytes } from 'node:crypto';
import bolt11 from 'bolt11';

/**
 * Real BOLT11 invoices signed by a test Lightning node key (regtest), as an LNURL server's node
 * would issue them. No Lightning network runs here, so nothing routes them: the test wallet
 * "pays" one by publishing its zap receipt.
 *
 *   const invoice = testInvoice({ amountMsats: 21_000, descriptionHash: descriptionHash(zapRequestJson) });
 */
export const TEST_NODE_KEY = randomBytes(32).toString('hex');

const REGTEST = { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] };

/** `preimage` (hex) makes the payment hash its sha256, so a payer can check the proof of payment. */
export function testInvoice(options: { readonly amountMsats?: number; readonly descriptionHash: string; readonly preimage?: string }): string {
  const preimage = options.preimage ?? randomBytes(32).toString('hex');
  const encoded = bolt11.encode({
    network: REGTEST,
    ...(options.amountMsats === undefined ? {} : { millisatoshis: String(options.amountMsats) }),
    timestamp: Math.floor(Date.now() / 1000),
    tags: [
      { tagName: 'payment_hash', data: createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex') },
      { tagName: 'payment_secret', data: randomBytes(32).toString('hex') },
      { tagName: 'purpose_commit_hash', data: options.descriptionHash },
    ],
  });
  const signed = bolt11.sign(encoded, TEST_NODE_KEY).paymentRequest;
  if (!signed) throw new Error('bolt11 did not sign the test invoice');
  return signed;
}

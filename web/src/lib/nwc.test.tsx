import { nip04 } from 'nostr-tools';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { parseNwcConnection, readNwcAnswer } from './nwc';

const wallet = 'b889ff5b1513b641e2a139f661a661364979c5beee91842f8f0ef42ab558e9d4';
const secret = '71a8c14c1407c113601079c4302dab36460f0ccd0ad506f1f2dc73b5100e4f3c';
const good = `nostr+walletconnect://${wallet}?relay=wss%3A%2F%2Frelay.damus.io&secret=${secret}&lud16=alice%40getalby.com`;

describe('parseNwcConnection', () => {
  it('reads the wallet key, every relay, the secret and the lightning address', () => {
    const twoRelays = `${good}&relay=wss%3A%2F%2Fnos.lol`;
    expect(parseNwcConnection(`  ${twoRelays}\n`)).toEqual({
      uri: twoRelays,
      walletPubkey: wallet,
      relays: ['wss://relay.damus.io', 'wss://nos.lol'],
      secret,
      lud16: 'alice@getalby.com',
    });
  });

  it('takes the key in either case and without a lightning address', () => {
    const connection = parseNwcConnection(`nostr+walletconnect://${wallet.toUpperCase()}?relay=ws://127.0.0.1:7777&secret=${secret}`);
    expect(connection.walletPubkey).toBe(wallet);
    expect(connection.relays).toEqual(['ws://127.0.0.1:7777']);
    expect(connection).not.toHaveProperty('lud16');
  });

  it.each([
    ['another scheme', `bunker://${wallet}?relay=wss://r.example&secret=${secret}`, /starts with nostr\+walletconnect:\/\//],
    ['no relay', `nostr+walletconnect://${wallet}?secret=${secret}`, /needs the wallet’s key, a relay= and a secret=/],
    ['no secret', `nostr+walletconnect://${wallet}?relay=wss://r.example`, /needs the wallet’s key, a relay= and a secret=/],
    ['a short wallet key', `nostr+walletconnect://abc123?relay=wss://r.example&secret=${secret}`, /wallet key .* 64 hex characters/],
    ['a secret that is not hex', `nostr+walletconnect://${wallet}?relay=wss://r.example&secret=nsec1xyz`, /secret= .* 64 hex characters/],
    ['a relay that is not a websocket', `nostr+walletconnect://${wallet}?relay=https://r.example&secret=${secret}`, /“https:\/\/r.example” is not a wss:\/\/ address/],
  ])('refuses %s in words', (_case, text, message) => {
    expect(() => parseNwcConnection(text)).toThrow(message);
  });
});

describe('readNwcAnswer', () => {
  const client = generateSecretKey();
  const walletKey = generateSecretKey();
  const walletPubkey = getPublicKey(walletKey);
  const answer = (body: unknown) => nip04.encrypt(walletKey, getPublicKey(client), JSON.stringify(body));

  it('gives the preimage of a paid invoice', () => {
    expect(readNwcAnswer(client, walletPubkey, answer({ result_type: 'pay_invoice', result: { preimage: 'ab'.repeat(32) } }))).toBe('ab'.repeat(32));
  });

  it('says what the wallet said when it did not pay, code included', () => {
    const refused = answer({ result_type: 'pay_invoice', error: { code: 'INSUFFICIENT_BALANCE', message: 'not enough sats in the budget' } });
    expect(() => readNwcAnswer(client, walletPubkey, refused)).toThrow('Your wallet did not pay: not enough sats in the budget (INSUFFICIENT_BALANCE).');
  });

  it('refuses an answer it cannot decrypt, or one that is not NIP-47', () => {
    const forSomeoneElse = nip04.encrypt(walletKey, getPublicKey(generateSecretKey()), '{"result_type":"pay_invoice"}');
    expect(() => readNwcAnswer(client, walletPubkey, forSomeoneElse)).toThrow('could not be read');
    expect(() => readNwcAnswer(client, walletPubkey, answer({ preimage: 'ab' }))).toThrow('is not a NIP-47 response');
    expect(() => readNwcAnswer(client, walletPubkey, answer({ result_type: 'pay_invoice' }))).toThrow('without a preimage or an error');
  });
});

import { nip04, nip47 } from 'nostr-tools';
import { NWCWalletResponse } from 'nostr-tools/kinds';
import { hexToBytes } from 'nostr-tools/utils';
import { z } from 'zod';
import { pool } from './nostr';

/**
 * NIP-47 Nostr Wallet Connect: a wallet service (Alby Hub, Mutiny, Coinos, …) that pays invoices
 * asked for over a relay, reached with the `nostr+walletconnect://` string the wallet gives out.
 * The string holds a spending secret: it is kept in this browser only, never sent to our server.
 *
 *   const connection = parseNwcConnection(text);           // throws an Error in words
 *   const preimage = await payWithNwc(connection, invoice);  // throws what the wallet said
 */
export interface NwcConnection {
  /** The string as pasted, trimmed: what is saved. */
  readonly uri: string;
  readonly walletPubkey: string;
  readonly relays: readonly string[];
  /** Hex secret key this app signs its requests with (the wallet knows its public key). */
  readonly secret: string;
  /** The wallet's lightning address, when the string names one. */
  readonly lud16?: string;
}

const SCHEME = 'nostr+walletconnect:';
const hex64 = /^[0-9a-f]{64}$/;

/** The connection in `text`, or an Error that says what is wrong with it. */
export function parseNwcConnection(text: string): NwcConnection {
  const uri = text.trim();
  if (!uri.toLowerCase().startsWith(SCHEME)) throw new Error('That is not a Nostr Wallet Connect string: it starts with nostr+walletconnect:// (copy it from your wallet’s “Connections” page).');
  let parsed: ReturnType<typeof nip47.parseConnectionString>;
  try {
    parsed = nip47.parseConnectionString(uri);
  } catch {
    throw new Error('The connection string is incomplete: it needs the wallet’s key, a relay= and a secret=.');
  }
  const walletPubkey = parsed.pubkey.replace(/^\/+/, '').toLowerCase();
  if (!hex64.test(walletPubkey)) throw new Error('The wallet key after nostr+walletconnect:// must be 64 hex characters.');
  const secret = parsed.secret.toLowerCase();
  if (!hex64.test(secret)) throw new Error('The secret= of the connection string must be 64 hex characters.');
  const badRelay = parsed.relays.find((relay) => !/^wss?:\/\/[^/?#\s]+/i.test(relay));
  if (badRelay !== undefined) throw new Error(`The relay “${badRelay}” is not a wss:// address.`);
  const lud16 = new URL(uri).searchParams.get('lud16') ?? undefined;
  return { uri, walletPubkey, relays: parsed.relays, secret, ...(lud16 && { lud16 }) };
}

/** How long a wallet has to answer a payment before the zap falls back to the QR. */
export const NWC_TIMEOUT_MS = 60_000;

const responseSchema = z.object({
  result_type: z.string(),
  error: z.object({ code: z.string(), message: z.string().optional() }).nullish(),
  result: z.object({ preimage: z.string() }).nullish(),
});

/**
 * Asks the wallet to pay `invoice` (`pay_invoice`, NIP-04 encrypted as nostr-tools builds it) and
 * resolves with the preimage from its kind 23195 answer. Rejects with the wallet's error code and
 * message, a relay's refusal, or silence past NWC_TIMEOUT_MS.
 */
export async function payWithNwc(connection: NwcConnection, invoice: string): Promise<string> {
  const secretKey = hexToBytes(connection.secret);
  const request = await nip47.makeNwcRequestEvent(connection.walletPubkey, secretKey, invoice);
  const relays = [...connection.relays];
  const where = relays.map((relay) => new URL(relay).host).join(', ');
  let close = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await new Promise<string>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`Your wallet did not answer within ${NWC_TIMEOUT_MS / 1000} s (through ${where}): is it online?`)), NWC_TIMEOUT_MS);
      const subscription = pool.subscribeMany(
        relays,
        { kinds: [NWCWalletResponse], authors: [connection.walletPubkey], '#e': [request.id] },
        {
          onevent: (event) => {
            try {
              resolve(readNwcAnswer(secretKey, connection.walletPubkey, event.content));
            } catch (failure) {
              reject(failure instanceof Error ? failure : new Error(String(failure)));
            }
          },
          // The answer is ephemeral: the request goes out only once the relays listen for it.
          oneose: () => {
            Promise.any(pool.publish(relays, request)).catch((failure: unknown) =>
              reject(new Error(`Your wallet’s relay (${where}) did not take the payment request: ${refusalText(failure)}`)),
            );
          },
        },
      );
      close = () => subscription.close();
    });
  } finally {
    clearTimeout(timer);
    close();
  }
}

/** The preimage in a wallet's encrypted kind 23195 answer; its error, or an unreadable answer, thrown in words. */
export function readNwcAnswer(secretKey: Uint8Array, walletPubkey: string, content: string): string {
  let json: unknown;
  try {
    json = JSON.parse(nip04.decrypt(secretKey, walletPubkey, content));
  } catch {
    throw new Error('Your wallet’s answer could not be read (not NIP-04 encrypted JSON).');
  }
  const answer = responseSchema.safeParse(json);
  if (!answer.success) throw new Error('Your wallet’s answer is not a NIP-47 response.');
  const { error, result } = answer.data;
  if (error) throw new Error(`Your wallet did not pay: ${error.message || 'no reason given'} (${error.code}).`);
  if (!result) throw new Error('Your wallet answered without a preimage or an error.');
  return result.preimage;
}

function refusalText(failure: unknown): string {
  const first = failure instanceof AggregateError ? failure.errors[0] : failure;
  return first instanceof Error ? first.message : String(first);
}

const storageKey = (pubkey: string) => `wavlake-live.nwc.${pubkey}`;

/** The connection saved in this browser for the signed-in `pubkey`, if any (a broken one counts as none). */
export function savedNwc(pubkey: string): NwcConnection | undefined {
  const saved = localStorage.getItem(storageKey(pubkey));
  if (!saved) return undefined;
  try {
    return parseNwcConnection(saved);
  } catch {
    return undefined;
  }
}

/** Saves the connection for `pubkey` in this browser only: it is a spending secret. */
export const saveNwc = (pubkey: string, connection: NwcConnection): void => localStorage.setItem(storageKey(pubkey), connection.uri);

export const forgetNwc = (pubkey: string): void => localStorage.removeItem(storageKey(pubkey));

import { z } from 'zod';
import { getPublicKey } from 'nostr-tools/pure';
import { bytesToHex, hexToBytes } from 'nostr-tools/utils';

/**
 * Keeps an unlocked local key across reloads and tabs without ever storing it readable.
 * The secret is sealed (AES-GCM) with a fresh WebCrypto key made non-extractable and kept in
 * IndexedDB: page script can ask it to decrypt but no script can read it out, so the sealed
 * copy in localStorage is useless away from this browser profile (a synced or exported localStorage).
 * "Session only" also needs a pad kept in a cookie without Max-Age, which every tab shares and the
 * browser drops (never writing it to disk) when it closes: the sealed copy is then of the secret
 * XOR that pad, and what stays on disk after the browser closes cannot give the key back.
 * "Remember" carries an expiry instead.
 *
 *   await keepUnlocked(secret, pubkey, { remember: false });
 *   const secret = await restoreUnlocked(pubkey); // undefined once the session or the expiry is over
 *   await forgetUnlocked();                       // signing out
 */

export const REMEMBER_DAYS = 30;

const SEALED_KEY = 'wavlake-live.unlocked';
const PAD_COOKIE = 'wavlake_unlocked';
const DATABASE = 'wavlake-live';
const STORE = 'keys';
const WRAPPING_KEY_ID = 'unlocked-key';

const Sealed = z.object({
  pubkey: z.string().regex(/^[0-9a-f]{64}$/),
  iv: z.string().regex(/^[0-9a-f]{24}$/),
  sealed: z.string().regex(/^[0-9a-f]+$/),
  // Session only: the pad is in the session cookie; remember: when it stops being honoured.
  until: z.union([z.object({ session: z.literal(true) }), z.object({ expires: z.number() })]),
});
type Sealed = z.infer<typeof Sealed>;

/** WebCrypto needs a secure context (https or localhost); elsewhere the key is simply not kept. */
function canKeep(): boolean {
  return typeof indexedDB !== 'undefined' && typeof crypto !== 'undefined' && crypto.subtle !== undefined;
}

export async function keepUnlocked(secret: Uint8Array, pubkey: string, { remember }: { remember: boolean }): Promise<void> {
  if (!canKeep()) return;
  const wrappingKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const pad = remember ? undefined : crypto.getRandomValues(new Uint8Array(secret.length));
  const plain = pad ? xor(secret, pad) : new Uint8Array(secret);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: bytes(pubkey) }, wrappingKey, plain);
  await idb('readwrite', (store) => store.put(wrappingKey, WRAPPING_KEY_ID));
  setPad(pad ? bytesToHex(pad) : undefined);
  const until: Sealed['until'] = pad ? { session: true } : { expires: Date.now() + REMEMBER_DAYS * 24 * 60 * 60 * 1000 };
  const record: Sealed = { pubkey, iv: bytesToHex(iv), sealed: bytesToHex(new Uint8Array(sealed)), until };
  localStorage.setItem(SEALED_KEY, JSON.stringify(record));
}

/** The kept secret of `pubkey`, or undefined (and nothing kept any more) when its time is over or it cannot be opened. */
export async function restoreUnlocked(pubkey: string): Promise<Uint8Array | undefined> {
  if (!canKeep()) return undefined;
  const record = readSealed();
  if (!record) return undefined;
  const pad = 'session' in record.until ? readPad() : undefined;
  const current = 'session' in record.until ? pad !== undefined : record.until.expires > Date.now();
  if (record.pubkey !== pubkey || !current) {
    await forgetUnlocked();
    return undefined;
  }
  try {
    const wrappingKey = await idb<CryptoKey | undefined>('readonly', (store) => store.get(WRAPPING_KEY_ID));
    if (!wrappingKey) throw new Error('no wrapping key');
    const opened = new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes(record.iv), additionalData: bytes(pubkey) }, wrappingKey, bytes(record.sealed)),
    );
    const secret = pad ? xor(opened, hexToBytes(pad)) : opened;
    // A pad from another sign-in (a stale cookie) opens to some other key: never sign with that.
    if (getPublicKey(secret) !== pubkey) throw new Error('not this key');
    return secret;
  } catch {
    // A sealed copy without its key (cleared site data, another profile) is worthless: drop it.
    await forgetUnlocked();
    return undefined;
  }
}

export async function forgetUnlocked(): Promise<void> {
  localStorage.removeItem(SEALED_KEY);
  setPad(undefined);
  if (canKeep()) await idb('readwrite', (store) => store.delete(WRAPPING_KEY_ID)).catch(() => undefined);
}

/** WebCrypto takes views on plain ArrayBuffers only. */
function bytes(hex: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(hexToBytes(hex));
}

function readSealed(): Sealed | undefined {
  try {
    const parsed = Sealed.safeParse(JSON.parse(localStorage.getItem(SEALED_KEY) ?? 'null'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** No Max-Age or Expires: a session cookie, gone when the browser closes; undefined clears it. */
function setPad(pad: string | undefined): void {
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${PAD_COOKIE}=${pad ?? ''}; Path=/; SameSite=Strict${secure}${pad ? '' : '; Max-Age=0'}`;
}

function readPad(): string | undefined {
  const value = document.cookie
    .split('; ')
    .find((pair) => pair.startsWith(`${PAD_COOKIE}=`))
    ?.slice(PAD_COOKIE.length + 1);
  return value && /^[0-9a-f]{64}$/.test(value) ? value : undefined;
}

function xor(left: Uint8Array, right: Uint8Array): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(left, (byte, index) => byte ^ (right[index] ?? 0));
}

/** One request against the key store, opened (and made on first use) for it. */
function idb<T>(mode: IDBTransactionMode, request: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DATABASE, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const database = open.result;
      const transaction = database.transaction(STORE, mode);
      const pending = request(transaction.objectStore(STORE));
      transaction.oncomplete = () => {
        database.close();
        resolve(pending.result as T);
      };
      transaction.onerror = () => {
        database.close();
        reject(transaction.error);
      };
    };
  });
}

import { nip19 } from 'nostr-tools';
import { decrypt, encrypt } from 'nostr-tools/nip49';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import type { Signer } from './signer';

/**
 * A key pasted as `nsec`, kept only in this browser as a NIP-49 `ncryptsec` (encrypted with
 * the user's password); the plain `secret` is handed out only to be sealed by kept-key.ts.
 *
 *   const { signer, ncryptsec, secret } = importNsec('nsec1…', 'password');
 *   const { signer, secret } = unlockNcryptsec(stored, 'password');
 *   const signer = localSigner(secret); // a key kept unlocked (kept-key.ts) coming back
 *   const { signer, ncryptsec, nsec } = createKey('password'); // a new account; show `nsec` once, for its backup
 */
export function importNsec(nsec: string, password: string): Unlocked & { ncryptsec: string } {
  return protect(decodeNsec(nsec.trim()), password);
}

/** A brand-new key (a new Nostr account), protected like an imported one; `nsec` is for the user's backup only. */
export function createKey(password: string): Unlocked & { ncryptsec: string; nsec: string } {
  const secret = generateSecretKey();
  return { ...protect(secret, password), nsec: nip19.nsecEncode(secret) };
}

interface Unlocked {
  signer: Signer;
  secret: Uint8Array;
}

function protect(secret: Uint8Array, password: string): Unlocked & { ncryptsec: string } {
  if (password.length < 8) throw new Error('Choose a password of at least 8 characters to protect the key in this browser.');
  return { signer: localSigner(secret), secret, ncryptsec: encrypt(secret, password) };
}

export function unlockNcryptsec(ncryptsec: string, password: string): Unlocked {
  try {
    const secret = decrypt(ncryptsec, password);
    return { signer: localSigner(secret), secret };
  } catch {
    throw new Error('Wrong password for the key saved in this browser.');
  }
}

function decodeNsec(value: string): Uint8Array {
  try {
    const decoded = nip19.decode(value);
    if (decoded.type === 'nsec') return decoded.data;
  } catch {
    // reported below
  }
  throw new Error('That is not an nsec: paste the secret key that starts with "nsec1".');
}

export function localSigner(secret: Uint8Array): Signer {
  const pubkey = getPublicKey(secret);
  return {
    method: 'local',
    getPublicKey: async () => pubkey,
    signEvent: async (template) => finalizeEvent({ ...template, tags: template.tags.map((tag) => [...tag]) }, secret),
  };
}

import { nip19 } from 'nostr-tools';
import { decrypt, encrypt } from 'nostr-tools/nip49';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import type { Signer } from './signer';

/**
 * A key pasted as `nsec`, kept only in this browser as a NIP-49 `ncryptsec` (encrypted with
 * the user's password); the plain key lives in memory for this tab only.
 *
 *   const { signer, ncryptsec } = importNsec('nsec1…', 'password');
 *   const signer = unlockNcryptsec(stored, 'password');
 *   const { signer, ncryptsec, nsec } = createKey('password'); // a new account; show `nsec` once, for its backup
 */
export function importNsec(nsec: string, password: string): { signer: Signer; ncryptsec: string } {
  return protect(decodeNsec(nsec.trim()), password);
}

/** A brand-new key (a new Nostr account), protected like an imported one; `nsec` is for the user's backup only. */
export function createKey(password: string): { signer: Signer; ncryptsec: string; nsec: string } {
  const secret = generateSecretKey();
  return { ...protect(secret, password), nsec: nip19.nsecEncode(secret) };
}

function protect(secret: Uint8Array, password: string): { signer: Signer; ncryptsec: string } {
  if (password.length < 8) throw new Error('Choose a password of at least 8 characters to protect the key in this browser.');
  return { signer: localSigner(secret), ncryptsec: encrypt(secret, password) };
}

export function unlockNcryptsec(ncryptsec: string, password: string): Signer {
  try {
    return localSigner(decrypt(ncryptsec, password));
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

function localSigner(secret: Uint8Array): Signer {
  const pubkey = getPublicKey(secret);
  return {
    method: 'local',
    getPublicKey: async () => pubkey,
    signEvent: async (template) => finalizeEvent({ ...template, tags: template.tags.map((tag) => [...tag]) }, secret),
  };
}

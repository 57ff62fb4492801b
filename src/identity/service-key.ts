import { createHmac } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bytesToHex, hexToBytes } from 'nostr-tools/utils';
import { finalizeEvent, generateSecretKey, getPublicKey, type EventTemplate, type VerifiedEvent } from 'nostr-tools/pure';

export const SERVICE_KEY_FILE = 'service-key.hex';

/**
 * The service's own Nostr identity: it signs the kind 30311 live events, so streams can
 * go live and end while the streamer's browser is closed.
 *
 *   const key = loadOrCreateServiceKey(config.dataDir);
 *   const event = key.sign({ kind: 30311, tags, content: '', created_at });
 */
export interface ServiceKey {
  readonly pubkey: string;
  sign(template: EventTemplate): VerifiedEvent;
  /** A secret for one purpose (e.g. signing playback tokens), stable for this identity and never the key itself. */
  deriveSecret(purpose: string): Buffer;
}

export function loadOrCreateServiceKey(dataDir: string): ServiceKey {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, SERVICE_KEY_FILE);
  const secret = existsSync(file) ? readSecret(file) : createSecret(file);
  const pubkey = getPublicKey(secret);
  return {
    pubkey,
    sign: (template) => finalizeEvent(template, secret),
    deriveSecret: (purpose) => createHmac('sha256', secret).update(`wavlake-live/${purpose}`).digest(),
  };
}

function createSecret(file: string): Uint8Array {
  const secret = generateSecretKey();
  // `wx` refuses to overwrite a key another process wrote a moment ago.
  writeFileSync(file, `${bytesToHex(secret)}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

function readSecret(file: string): Uint8Array {
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new Error(`The service key in ${file} is not 64 hex characters; restore it from a backup or delete it to create a new identity.`);
  }
  return hexToBytes(hex);
}

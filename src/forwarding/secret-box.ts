import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const FORWARDING_KEY_FILE = 'forwarding-key.bin';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Stored ciphertexts start with it, so a future scheme can be told apart. */
const VERSION = 'v1';

/**
 * Encrypts secrets at rest (destination stream keys) with AES-256-GCM under a key kept in
 * the data folder, created (mode 0600) on first use. What the database holds is
 * `v1:<iv>:<tag>:<ciphertext>` in base64: unreadable without the file, and tamper-evident.
 *
 *   const box = SecretBox.inDataDir(config.dataDir);
 *   const stored = box.seal('live_123_abc');
 *   box.open(stored);   // 'live_123_abc'
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static inDataDir(dataDir: string): SecretBox {
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, FORWARDING_KEY_FILE);
    if (!existsSync(file)) {
      try {
        // `wx` refuses to overwrite a key another process wrote a moment ago.
        writeFileSync(file, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    // A copied data folder may have lost the mode; the key is as secret as the keys it guards.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    const key = readFileSync(file);
    if (key.length !== KEY_BYTES) throw new Error(`${file} is not a ${KEY_BYTES}-byte key; restore it from a backup (without it, saved destination keys cannot be read)`);
    return new SecretBox(key);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64'))).join(':');
  }

  /** Throws when `sealed` was not sealed with this key (another data folder's, or altered). */
  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split(':');
    if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }
}

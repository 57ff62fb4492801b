import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FORWARDING_KEY_FILE, SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wlk-secret-box-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips a secret, and what it stores holds none of it', () => {
    const box = SecretBox.inDataDir(dataDir());
    const sealed = box.seal('live_8z7y6x5w_secret');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('secret');
    expect(Buffer.from(sealed.split(':').at(-1) ?? '', 'base64').toString('utf8')).not.toContain('secret');
    expect(box.open(sealed)).toBe('live_8z7y6x5w_secret');
    // A fresh IV each time: the same key never seals to the same text.
    expect(box.seal('live_8z7y6x5w_secret')).not.toBe(sealed);
  });

  it('creates its key file 0600 on first use and reads the same key the next time', () => {
    const dir = dataDir();
    const sealed = SecretBox.inDataDir(dir).seal('abc');
    const file = path.join(dir, FORWARDING_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file)).toHaveLength(32);
    expect(SecretBox.inDataDir(dir).open(sealed)).toBe('abc');
  });

  it('refuses a text altered or sealed under another data folder’s key', () => {
    const sealed = SecretBox.inDataDir(dataDir()).seal('abc');
    expect(() => SecretBox.inDataDir(dataDir()).open(sealed)).toThrow();
    const [version, iv, tag, ciphertext = ''] = sealed.split(':');
    const flipped = Buffer.from(ciphertext, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    const box = SecretBox.inDataDir(dataDir());
    expect(() => box.open([version, iv, tag, flipped.toString('base64')].join(':'))).toThrow();
    expect(() => box.open('plain text')).toThrow('not a sealed secret');
  });

  it('refuses a key file of the wrong size instead of sealing with it', () => {
    const dir = dataDir();
    writeFileSync(path.join(dir, FORWARDING_KEY_FILE), 'short', { mode: 0o600 });
    expect(() => SecretBox.inDataDir(dir)).toThrow(/is not a 32-byte key/);
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { STREAM_KEY_PATTERN, STREAM_KEY_PREFIX } from '../protocol/stream-key.js';

/**
 * Stream keys (protocol/stream-key.ts's shape) come from the OS's cryptographic source.
 * Only their SHA-256 is stored, so a leaked database does not leak keys.
 *
 *   const key = generateStreamKey();          // shown to the owner once
 *   await repo.insert(..., hashStreamKey(key));
 */
export function generateStreamKey(): string {
  return `${STREAM_KEY_PREFIX}${randomBytes(16).toString('hex')}`;
}

export function hashStreamKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Cheap shape check before any database lookup. */
export function looksLikeStreamKey(value: string): boolean {
  return STREAM_KEY_PATTERN.test(value);
}

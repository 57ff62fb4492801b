import { createHash, randomBytes } from 'node:crypto';

/**
 * Stream keys are `wlk_live_` + 32 hex characters from the OS's cryptographic source.
 * Only their SHA-256 is stored, so a leaked database does not leak keys.
 *
 *   const key = generateStreamKey();          // shown to the owner once
 *   await repo.insert(..., hashStreamKey(key));
 */
export const STREAM_KEY_PREFIX = 'wlk_live_';
const STREAM_KEY_PATTERN = /^wlk_live_[0-9a-f]{32}$/;

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

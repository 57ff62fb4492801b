import { STREAM_KEY_PREFIX } from '../streams/stream-keys.js';

/**
 * What a log line may say about a stream key: its kind, never a character of its secret.
 *
 *   logger.warn({ key: redactStreamKey(name) }, 'publish refused');   // "wlk_live_…"
 */
export function redactStreamKey(key: string): string {
  return key.startsWith(STREAM_KEY_PREFIX) ? `${STREAM_KEY_PREFIX}…` : '…';
}

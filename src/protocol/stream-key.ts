/**
 * A stream key's public shape: `wlk_live_` + 32 hex characters, what the API hands out
 * and an encoder publishes with (generating and hashing keys is streams/stream-keys.ts).
 */
export const STREAM_KEY_PREFIX = 'wlk_live_';
export const STREAM_KEY_PATTERN = /^wlk_live_[0-9a-f]{32}$/;

/** Anything key-like inside a longer text, such as a URL's path or query. */
const STREAM_KEY_IN_TEXT = /wlk_live_[0-9a-f]+/gi;

/**
 * What a log line may say about a stream key: its kind, never a character of its secret.
 * A value without the prefix may be a mistyped key, so none of it is kept either.
 *
 *   logger.warn({ key: redactStreamKey(name) }, 'publish refused');   // "wlk_live_…"
 */
export function redactStreamKey(key: string): string {
  return key.startsWith(STREAM_KEY_PREFIX) ? `${STREAM_KEY_PREFIX}…` : '…';
}

/** The text with every stream key in it redacted. */
export function redactStreamKeysIn(text: string): string {
  return text.replace(STREAM_KEY_IN_TEXT, redactStreamKey);
}

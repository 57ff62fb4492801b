/**
 * Whether `value` is an absolute URL with one of `protocols` (as `URL` spells them, with the colon).
 * Shared by the settings check and the stream form, so both refuse `javascript:` and relative paths alike.
 *
 *   hasProtocol('https://example.com/cover.jpg', ['http:', 'https:'])   // true
 */
export function hasProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

import { hasProtocol } from './url.js';

/**
 * NIP-30 custom emoji: an `["emoji", shortcode, url]` tag names a picture that `:shortcode:`
 * in the content stands for. Only http(s) pictures are kept: a `javascript:` or `data:` URL
 * from a stranger's event has no business in an <img>.
 *
 *   const emoji = parseEmojiTags(event.tags);           // [{ shortcode: 'wave', url: 'https://…/wave.png' }]
 *   splitEmoji('hi :wave:', emoji);                     // ['hi ', { shortcode: 'wave', url: … }]
 */
export interface CustomEmoji {
  readonly shortcode: string;
  readonly url: string;
}

/** NIP-30: a shortcode is letters, digits and underscores (hyphens are common in the wild, so they pass too). */
const SHORTCODE = /^[A-Za-z0-9_-]+$/;
const IN_TEXT = /:([A-Za-z0-9_-]+):/g;

export function parseEmojiTags(tags: readonly (readonly string[])[]): CustomEmoji[] {
  const seen = new Map<string, CustomEmoji>();
  for (const [name, shortcode, url] of tags) {
    if (name !== 'emoji' || shortcode === undefined || url === undefined) continue;
    if (!SHORTCODE.test(shortcode) || !hasProtocol(url, ['http:', 'https:']) || seen.has(shortcode)) continue;
    seen.set(shortcode, { shortcode, url });
  }
  return [...seen.values()];
}

export const emojiTags = (emoji: readonly CustomEmoji[]): string[][] => emoji.map(({ shortcode, url }) => ['emoji', shortcode, url]);

/** The text cut at each `:shortcode:` that `emoji` knows; unknown shortcodes stay text. */
export function splitEmoji(text: string, emoji: readonly CustomEmoji[]): (string | CustomEmoji)[] {
  if (emoji.length === 0) return [text];
  const known = new Map(emoji.map((item) => [item.shortcode, item]));
  const parts: (string | CustomEmoji)[] = [];
  let from = 0;
  for (const match of text.matchAll(IN_TEXT)) {
    const found = known.get(match[1] ?? '');
    if (!found) continue;
    if (match.index > from) parts.push(text.slice(from, match.index));
    parts.push(found);
    from = match.index + match[0].length;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

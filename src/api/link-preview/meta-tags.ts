/**
 * The tags a pasted link is previewed from (Open Graph, Twitter cards), written into the
 * web app's `index.html` in place of its `<title>`: the page itself is unchanged, only what
 * crawlers read first. Everything is HTML-escaped, since titles and names are the users'.
 *
 *   renderPreview(indexHtml, { title: 'Jazz night', description: 'Alice is live…', url, image })
 */
export interface LinkPreview {
  /** The `<title>` and `og:title`. */
  readonly title: string;
  readonly description: string;
  /** The page's own absolute URL. */
  readonly url: string;
  /** An absolute image URL; without one the card is the small summary kind. */
  readonly image?: string;
  readonly imageAlt?: string;
  readonly siteName: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/** The block of tags for the head, one per line. */
export function previewTags(preview: LinkPreview): string {
  const meta = (attribute: 'property' | 'name', key: string, value: string) => `<meta ${attribute}="${key}" content="${escapeHtml(value)}" />`;
  const lines = [
    `<title>${escapeHtml(preview.title)}</title>`,
    meta('name', 'description', preview.description),
    meta('property', 'og:site_name', preview.siteName),
    meta('property', 'og:type', preview.image ? 'video.other' : 'website'),
    meta('property', 'og:title', preview.title),
    meta('property', 'og:description', preview.description),
    meta('property', 'og:url', preview.url),
    ...(preview.image ? [meta('property', 'og:image', preview.image), meta('property', 'og:image:alt', preview.imageAlt ?? preview.title)] : []),
    meta('name', 'twitter:card', preview.image ? 'summary_large_image' : 'summary'),
    meta('name', 'twitter:title', preview.title),
    meta('name', 'twitter:description', preview.description),
    ...(preview.image ? [meta('name', 'twitter:image', preview.image), meta('name', 'twitter:image:alt', preview.imageAlt ?? preview.title)] : []),
  ];
  return lines.join('\n    ');
}

/** `index.html` with the preview's tags in place of its `<title>` (or, without one, at the end of its head). */
export function renderPreview(indexHtml: string, preview: LinkPreview): string {
  const tags = previewTags(preview);
  // A function replacement: a `$&` or `$1` in a user's title must stay text, not become a pattern reference.
  if (/<title>[\s\S]*?<\/title>/i.test(indexHtml)) return indexHtml.replace(/<title>[\s\S]*?<\/title>/i, () => tags);
  return indexHtml.replace(/<\/head>/i, () => `  ${tags}\n  </head>`);
}

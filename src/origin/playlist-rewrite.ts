/**
 * Copies query parameters (the playback token, the viewer session) into every URI of a
 * playlist, because players resolve relative URIs against the playlist's URL without its
 * query string.
 *
 *   withQuery('#EXTM3U\n720p/index.m3u8\n', { token: 't' }) // '#EXTM3U\n720p/index.m3u8?token=t\n'
 */
export function withQuery(playlist: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return query === '' ? playlist : renderQuery(queryTemplate(playlist), query);
}

/** A playlist cut where a query goes: `literals[i]`, then `separators[i]` and the query, …, then the last literal. */
export interface QueryTemplate {
  readonly literals: readonly string[];
  readonly separators: readonly ('?' | '&')[];
}

export function queryTemplate(playlist: string): QueryTemplate {
  const literals: string[] = [];
  const separators: ('?' | '&')[] = [];
  let current = '';
  const cut = (uri: string) => {
    literals.push(current + uri);
    separators.push(uri.includes('?') ? '&' : '?');
    current = '';
  };
  const lines = playlist.split('\n');
  lines.forEach((line, index) => {
    if (index > 0) current += '\n';
    if (line === '') return;
    if (!line.startsWith('#')) return cut(line.trimEnd());
    // Tags such as EXT-X-MAP and EXT-X-MEDIA carry URIs in an attribute.
    let from = 0;
    for (const match of line.matchAll(/URI="([^"]*)"/g)) {
      const uri = match[1] ?? '';
      const start = match.index + 'URI="'.length;
      current += line.slice(from, start);
      cut(uri);
      from = start + uri.length;
    }
    current += line.slice(from);
  });
  literals.push(current);
  return { literals, separators };
}

export function renderQuery(template: QueryTemplate, query: string): string {
  let text = template.literals[0] ?? '';
  for (let i = 0; i < template.separators.length; i += 1) text += `${template.separators[i]}${query}${template.literals[i + 1]}`;
  return text;
}

/**
 * withQuery for the same few playlists asked for again and again: each text is cut once, and
 * every viewer's session id is put into the cut copy (a live playlist changes every part; each
 * of its thousands of readers has its own query).
 *
 *   const rewriter = new QueryRewriter();
 *   rewriter.rewrite(text, { sid });
 */
export class QueryRewriter {
  private readonly templates = new Map<string, QueryTemplate>();

  constructor(private readonly maxEntries = 256) {}

  rewrite(playlist: string, params: Record<string, string>): string {
    const query = new URLSearchParams(params).toString();
    if (query === '') return playlist;
    let template = this.templates.get(playlist);
    if (!template) {
      template = queryTemplate(playlist);
      if (this.templates.size >= this.maxEntries) {
        const oldest = this.templates.keys().next().value;
        if (oldest !== undefined) this.templates.delete(oldest);
      }
      this.templates.set(playlist, template);
    }
    return renderQuery(template, query);
  }
}

/**
 * An ended stream's live playlist, made final: players at the live edge stop reloading it,
 * play what it lists and report the end, instead of meeting a 404. A preload hint would send
 * them after a part that will never be written.
 */
export function withEndList(playlist: string): string {
  if (/^#EXT-X-ENDLIST/m.test(playlist)) return playlist;
  const final = playlist.replace(/^#EXT-X-PRELOAD-HINT:.*\n?/gm, '');
  return `${final.endsWith('\n') ? final : `${final}\n`}#EXT-X-ENDLIST\n`;
}

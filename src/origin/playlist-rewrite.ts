/**
 * Copies query parameters (the playback token, the viewer session) into every URI of a
 * playlist, because players resolve relative URIs against the playlist's URL without its
 * query string.
 *
 *   withQuery('#EXTM3U\n720p/index.m3u8\n', { token: 't' }) // '#EXTM3U\n720p/index.m3u8?token=t\n'
 */
export function withQuery(playlist: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  if (query === '') return playlist;
  const append = (uri: string) => `${uri}${uri.includes('?') ? '&' : '?'}${query}`;
  return playlist
    .split('\n')
    .map((line) => {
      if (line === '') return line;
      if (!line.startsWith('#')) return append(line.trimEnd());
      // Tags such as EXT-X-MAP and EXT-X-MEDIA carry URIs in an attribute.
      return line.replace(/URI="([^"]*)"/g, (_match, uri: string) => `URI="${append(uri)}"`);
    })
    .join('\n');
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

/**
 * Copies the playback token into every URI of a playlist, because players resolve
 * relative URIs against the playlist's URL without its query string.
 *
 *   withToken('#EXTM3U\n720p/index.m3u8\n', 't') // '#EXTM3U\n720p/index.m3u8?token=t\n'
 */
export function withToken(playlist: string, token: string): string {
  const query = `token=${encodeURIComponent(token)}`;
  const append = (uri: string) => `${uri}${uri.includes('?') ? '&' : '?'}${query}`;
  return playlist
    .split('\n')
    .map((line) => {
      if (line === '' ) return line;
      if (!line.startsWith('#')) return append(line.trimEnd());
      // Tags such as EXT-X-MAP and EXT-X-MEDIA carry URIs in an attribute.
      return line.replace(/URI="([^"]*)"/g, (_match, uri: string) => `URI="${append(uri)}"`);
    })
    .join('\n');
}

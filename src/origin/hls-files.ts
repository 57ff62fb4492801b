import { MASTER_PLAYLIST, RENDITION_NAME } from '../segments/playback-paths.js';

/**
 * What the HLS origin may serve and how: file names are checked against a short list of
 * shapes before they get near the file system, so `..`, encoded slashes and odd names are
 * refused by construction.
 *
 *   const file = parseHlsPath(['720p', 'seg_00012.ts']);  // { kind: 'segment', parts: [...] }
 */
export type HlsFileKind = 'playlist' | 'segment' | 'thumbnail';

export interface HlsFile {
  readonly kind: HlsFileKind;
  readonly contentType: string;
  /** Path parts below the stream's folder, each already validated. */
  readonly parts: readonly string[];
}

const FILE = /^([A-Za-z0-9_-]{1,64})\.(m3u8|ts|m4s|mp4|aac|jpg)$/;

const CONTENT_TYPES: Record<string, { kind: HlsFileKind; contentType: string }> = {
  m3u8: { kind: 'playlist', contentType: 'application/vnd.apple.mpegurl' },
  ts: { kind: 'segment', contentType: 'video/mp2t' },
  m4s: { kind: 'segment', contentType: 'video/iso.segment' },
  mp4: { kind: 'segment', contentType: 'video/mp4' },
  aac: { kind: 'segment', contentType: 'audio/aac' },
  jpg: { kind: 'thumbnail', contentType: 'image/jpeg' },
};

/** `parts` is the path below `/hls/<id>/`: a file, or one folder (a rendition) and a file. */
export function parseHlsPath(parts: readonly string[]): HlsFile | undefined {
  if (parts.length < 1 || parts.length > 2) return undefined;
  const folder = parts.length === 2 ? parts[0] : undefined;
  if (folder !== undefined && !RENDITION_NAME.test(folder)) return undefined;
  const match = FILE.exec(parts[parts.length - 1] ?? '');
  const type = match?.[2] === undefined ? undefined : CONTENT_TYPES[match[2]];
  if (!type) return undefined;
  return { ...type, parts };
}

/** The playlist a player starts from; it lists the renditions. */
export const isMultivariant = (file: HlsFile) => file.parts.length === 1 && file.parts[0] === MASTER_PLAYLIST;

/**
 * What a CDN may keep. Segments, parts and init files never change once written. A blocking
 * reload (`_HLS_msn`/`_HLS_part` in its URL) names one version of the playlist, so it may be
 * kept a few target durations; a plain live playlist changes with every part, so it is kept
 * one second at most and never served stale. VOD playlists are final. The live multivariant
 * playlist carries the viewer's own session id: the player may keep it, no shared cache may.
 */
export function cacheControlFor(file: HlsFile, live: boolean, blocking = false): string {
  const { kind } = file;
  if (kind === 'segment') return 'public, max-age=31536000, immutable';
  if (live && isMultivariant(file)) return 'private, max-age=2';
  if (kind === 'thumbnail') return 'public, max-age=30';
  if (!live) return 'public, max-age=3600';
  return blocking ? 'public, max-age=6' : 'public, max-age=1, stale-while-revalidate=0';
}

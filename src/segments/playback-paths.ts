/**
 * Where a stream's files are, as players see them: every public URL path and file name of
 * a stream's live output and recording is spelled here, and nowhere else.
 *
 *   `${publicUrl}${playbackPaths.master(stream.id)}`   // 'https://live.example/hls/<id>/master.m3u8'
 *   thumbnailBeside(stream.hlsPlaybackUrl)              // 'https://live.example/hls/<id>/thumb.jpg'
 */

/** Live output (`hls`: the ladder, its last window after the end, the thumbnail) or the recording (`vod`). */
export type SegmentArea = 'hls' | 'vod';
export const SEGMENT_AREAS: readonly SegmentArea[] = ['hls', 'vod'];

/** The multivariant playlist a player starts from; it lists the renditions. */
export const MASTER_PLAYLIST = 'master.m3u8';
/** Each rendition's media playlist, in the rendition's folder beside the multivariant playlist. */
export const RENDITION_PLAYLIST = 'index.m3u8';
/** The live picture, beside the multivariant playlist; it stays once the stream has ended. */
export const THUMBNAIL_FILE = 'thumb.jpg';
/** The joined recording, in the stream's `vod` folder. */
export const RECORDING_PLAYLIST = 'index.m3u8';

/** A rendition's folder name (`720p`, `source`, `audio-64k`): also what keeps `..` and odd names out of paths. */
export const RENDITION_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export const playbackPaths = {
  master: (streamId: string) => `/hls/${streamId}/${MASTER_PLAYLIST}`,
  recording: (streamId: string) => `/vod/${streamId}/${RECORDING_PLAYLIST}`,
} as const;

/** The thumbnail beside a multivariant playlist URL, on whatever host that URL was made under. */
export function thumbnailBeside(masterUrl: string): string {
  return masterUrl.endsWith(MASTER_PLAYLIST) ? `${masterUrl.slice(0, -MASTER_PLAYLIST.length)}${THUMBNAIL_FILE}` : masterUrl;
}

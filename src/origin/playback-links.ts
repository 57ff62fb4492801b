import { playbackPaths } from '../segments/playback-paths.js';
import type { PlaybackTokens } from './playback-token.js';

const PREVIEW_TTL_SECONDS = 12 * 3600;
const SHARE_TTL_SECONDS = 30 * 24 * 3600;

/**
 * The playback URLs only a stream's owner is given: the preview of the ingest before the
 * stream is public, and for a private stream the link to share with its viewers.
 *
 *   links.previewUrl(stream.id) // 'https://live.example/hls/<id>/master.m3u8?token=…'
 */
export class PlaybackLinks {
  constructor(
    private readonly publicUrl: string,
    private readonly tokens: PlaybackTokens,
  ) {}

  previewUrl(streamId: string): string {
    const token = this.tokens.issue(streamId, 'preview', PREVIEW_TTL_SECONDS);
    return `${this.publicUrl}${playbackPaths.master(streamId)}?token=${encodeURIComponent(token)}`;
  }

  /** The web app's page for the stream, carrying a viewer token the origin checks on every request. */
  shareUrl(streamId: string): string {
    const token = this.tokens.issue(streamId, 'view', SHARE_TTL_SECONDS);
    return `${this.publicUrl}/s/${streamId}?token=${encodeURIComponent(token)}`;
  }
}

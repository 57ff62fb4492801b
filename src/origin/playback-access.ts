import { playbackPaths, type SegmentArea } from '../segments/playback-paths.js';
import type { Stream } from '../streams/stream.js';
import type { PlaybackScope } from './playback-token.js';

export type AccessDecision =
  | { readonly ok: true; readonly live: boolean }
  | { readonly ok: false; readonly error: string; readonly message: string };

const NOT_FOUND = {
  ok: false,
  error: 'stream_not_found',
  message: 'No stream with this id is playing here; check the link you were given.',
} as const;

/**
 * Who may fetch what of a stream, in one place:
 * - a private stream answers as if it did not exist unless the request carries a token;
 * - live output is public while the stream is live; before that only the owner's preview
 *   token sees it (the encoder is connected but the streamer has not pressed Start);
 * - once the stream has ended, its last live window for a while (and the thumbnail for good),
 *   and its recording.
 */
export function decideAccess(
  stream: Stream | undefined,
  area: SegmentArea,
  token: PlaybackScope | undefined,
): AccessDecision {
  if (!stream) return NOT_FOUND;
  if (stream.visibility === 'private' && token === undefined) return NOT_FOUND;

  if (area === 'vod') {
    if (stream.status === 'ended' && stream.record) return { ok: true, live: false };
    return {
      ok: false,
      error: 'recording_not_available',
      message: stream.record
        ? 'The recording becomes available when the stream ends.'
        : 'This stream was not recorded.',
    };
  }

  switch (stream.status) {
    case 'live':
    case 'reconnecting':
      return { ok: true, live: true };
    case 'connected':
      if (token === 'preview') return { ok: true, live: true };
      return { ok: false, error: 'stream_not_live', message: 'This stream has not started yet; try again when it is live.' };
    case 'ended':
      // The last live window stays a while (its playlists end with EXT-X-ENDLIST); the files then go.
      return { ok: true, live: false };
    default:
      return { ok: false, error: 'stream_not_live', message: 'This stream is not live.' };
  }
}

/** What a player is told when an ended stream's live files are gone. */
export function streamEndedMessage(stream: Stream): string {
  return stream.record ? `This stream has ended; watch its recording at ${playbackPaths.recording(stream.id)}.` : 'This stream has ended.';
}

import type { StreamView, TrackView } from '../protocol/api-views.js';
import { renditionsFor } from '../protocol/quality.js';
import type { IngestReading } from '../live/publishers.js';
import type { PlaybackLinks } from '../origin/playback-links.js';
import { thumbnailBeside } from '../segments/playback-paths.js';
import { ingestHealthView } from './realtime/ingest-health-view.js';
import type { Stream, Track } from '../streams/stream.js';
import type { StreamZapFigures } from '../zaps/stream-zaps.js';

/** What a stream's view says about its signer (see StreamSigners). */
export interface StreamSigning {
  eventAuthor(stream: Stream): string;
  status(stream: Stream): 'ok' | 'unreachable' | null;
}

/**
 * A stream as the API shows it (snake_case, as in the plan). The owner also sees why it
 * is in its status, a preview URL that plays before the stream is public, and the
 * health of the ingest while an encoder is connected. An audio stream's thumbnail is its
 * cover (see `Covers`); a video stream's is its live picture.
 */
export function streamView(
  stream: Stream,
  viewerPubkey: string | undefined,
  links: PlaybackLinks,
  ingest: IngestReading | undefined,
  cover: string | null,
  signing: StreamSigning,
  zaps: StreamZapFigures,
  /** The stream's WHEP endpoint (absolute) while real-time playback is on; undefined when it is off. */
  whepUrl: ((streamId: string) => string) | undefined = undefined,
): StreamView {
  const isOwner = viewerPubkey === stream.pubkey;
  return {
    stream_id: stream.id,
    pubkey: stream.pubkey,
    title: stream.title,
    description: stream.description,
    category: stream.category,
    tags: stream.tags,
    moderators: stream.moderators,
    visibility: stream.visibility,
    stream_type: stream.streamType,
    signer: stream.signer,
    event_pubkey: signing.eventAuthor(stream),
    enable_chat: stream.enableChat,
    record: stream.record,
    quality: stream.quality,
    quality_options: ['source', ...renditionsFor(stream.quality).map((rendition) => rendition.name)],
    status: stream.status,
    paused: stream.paused,
    ...(isOwner && {
      status_reason: stream.statusReason,
      preview_url: links.previewUrl(stream.id),
      ...(stream.visibility === 'private' && { share_url: links.shareUrl(stream.id) }),
      ingest: ingest ? ingestHealthView(ingest, stream.streamType) : null,
      signer_status: signing.status(stream),
    }),
    rtmp_ingest: stream.rtmpIngestUrl,
    hls_playback: stream.hlsPlaybackUrl,
    whep_url: whepUrl && (stream.status === 'live' || stream.status === 'reconnecting') ? whepUrl(stream.id) : null,
    image_url: stream.imageUrl,
    goal: stream.goal,
    goal_progress: zaps.goalProgress,
    zap_total_sats: zaps.zapTotalSats,
    thumbnail_url: cover ?? thumbnailUrl(stream),
    recording_url: stream.recordingUrl,
    now_playing: stream.nowPlaying && trackView(stream.nowPlaying),
    starts_at: stream.startsAt,
    started_at: stream.startedAt,
    ended_at: stream.endedAt,
    current_viewers: stream.currentViewers,
    max_viewers: stream.maxViewers,
    total_viewers: stream.totalViewers,
    created_at: stream.createdAt,
    updated_at: stream.updatedAt,
  };
}

/** A track as the API and the real-time feed show it. */
export function trackView(track: Track): TrackView {
  return { title: track.title, artist: track.artist, link: track.link, started_at: track.startedAt };
}

/**
 * Views of one stream and of a page of them; a page is read in a few queries for all its
 * streams (their zap totals, goals), not a few per stream.
 */
export interface StreamViewer {
  one(stream: Stream, viewerPubkey: string | undefined): Promise<StreamView>;
  page(streams: readonly Stream[], viewerPubkey: string | undefined): Promise<StreamView[]>;
}

/** The thumbnail sits beside the multivariant playlist once a picture of the stream has been taken. */
function thumbnailUrl(stream: Stream): string | null {
  return stream.thumbnailAt === null ? null : thumbnailBeside(stream.hlsPlaybackUrl);
}

import type { StreamAnalytics } from './analytics.js';
import type { CATEGORIES, Category } from './categories.js';
import type { LADDER, QualityChoice, QUALITY_CHOICES } from './quality.js';
import type { LIMITS, SignerMode, StreamType, Visibility } from './stream-settings.js';
import type { StreamStatus } from './stream-status.js';

/**
 * The REST API's and the stream feed's answers (snake_case, as in the plan). The server
 * builds values of these types and the web app reads them, so the two cannot drift.
 */
export type { SignerMode, StreamAnalytics, StreamStatus, StreamType };

/** A track the streamer said was playing ("now playing"), from `started_at` until the next one or the end. */
export interface TrackView {
  readonly title: string;
  /** Empty when the streamer gave none. */
  readonly artist: string;
  readonly link: string | null;
  /** Unix seconds when the streamer set it. */
  readonly started_at: number;
}

/** The health of a connected encoder's ingest, with the warnings a streamer should act on. */
export interface IngestHealth {
  readonly uptime_seconds: number;
  readonly encoder: string | null;
  readonly bitrate_kbps: number | null;
  readonly video: {
    readonly codec: string;
    readonly profile: string | null;
    readonly width: number | null;
    readonly height: number | null;
    readonly fps: number | null;
    readonly keyframe_interval_seconds: number | null;
    readonly bitrate_kbps: number | null;
    readonly frames: number;
    readonly dropped_frames: number;
    readonly late_frames: number;
  } | null;
  readonly audio: {
    readonly codec: string;
    readonly profile: string | null;
    readonly sample_rate: number | null;
    readonly channels: number | null;
    readonly bitrate_kbps: number | null;
  } | null;
  /** What the encoder sends (sound only, or a picture too); null until its media is known. */
  readonly sending: StreamType | null;
  readonly warnings: readonly string[];
}

/** A zap goal's state, as `StreamView.goal_progress`. */
export interface GoalProgressView {
  /** The kind 9041 event id (the 30311's `goal`). */
  readonly id: string;
  readonly description: string;
  readonly target_sats: number;
  readonly raised_sats: number;
  readonly status: 'open' | 'reached' | 'closed';
  /** Unix seconds when it closed; null while open. */
  readonly closed_at: number | null;
}

/** A stream; the fields marked "owner" are present only in answers to its owner. */
export interface StreamView {
  readonly stream_id: string;
  readonly pubkey: string;
  readonly title: string;
  readonly description: string;
  readonly category: Category;
  readonly tags: readonly string[];
  readonly moderators: readonly string[];
  readonly visibility: Visibility;
  /** What the streamer said they send; an encoder sending sound only gets the audio ladder whatever this says. */
  readonly stream_type: StreamType;
  /** Whose key signs the stream's kind 30311 (fixed for its life). */
  readonly signer: SignerMode;
  /** The 30311's author: the service's pubkey, or the streamer's; its coordinate is `30311:<event_pubkey>:<stream_id>`. */
  readonly event_pubkey: string;
  /**
   * Owner: whether the streamer's bunker answered the last time the service asked it to sign;
   * null for a service-signed stream. While `unreachable` the service keeps the stream's
   * announced state as it was and, at the end, publishes the `ended` event the bunker signed ahead.
   */
  readonly signer_status?: 'ok' | 'unreachable' | null;
  readonly enable_chat: boolean;
  readonly record: boolean;
  readonly quality: QualityChoice;
  readonly quality_options: readonly string[];
  readonly status: StreamStatus;
  readonly paused: boolean;
  /** Owner: why the stream is in its status. */
  readonly status_reason?: string | null;
  /** Owner: plays before the stream is public. */
  readonly preview_url?: string;
  /** Owner of a private stream: the link that lets others watch. */
  readonly share_url?: string;
  /** Owner: the ingest's health while an encoder is connected. */
  readonly ingest?: IngestHealth | null;
  readonly rtmp_ingest: string;
  readonly hls_playback: string;
  /**
   * Real-time playback (WebRTC, RFC 9725 WHEP): POST an SDP offer here. Null when the service
   * has real-time off (`WHEP_MAX_VIEWERS=0`) or the stream is not live; a private stream's
   * viewer adds its playback `?token=` as for HLS.
   */
  readonly whep_url: string | null;
  /** The cover picture the streamer gave; null for none. */
  readonly image_url: string | null;
  /** The streamer's NIP-75 zap goal (a kind 9041 event id); null when none is set. */
  readonly goal: string | null;
  /**
   * The goal's progress (`goalProgress` in src/protocol/zap-goal.ts) from the valid zaps the
   * service has seen; null when no goal is set or its kind 9041 is not on the service's relay.
   */
  readonly goal_progress: GoalProgressView | null;
  /** What the host has received in valid zaps to this stream, in sats (from the receipts on the service's relay). */
  readonly zap_total_sats: number;
  readonly thumbnail_url: string | null;
  readonly recording_url: string | null;
  /** The track playing now; null when none is set or the stream has ended. */
  readonly now_playing: TrackView | null;
  /** When the streamer plans to go live (Unix seconds); null when not scheduled. `started_at` is when it did. */
  readonly starts_at: number | null;
  readonly started_at: number | null;
  readonly ended_at: number | null;
  readonly current_viewers: number;
  readonly max_viewers: number;
  readonly total_viewers: number;
  readonly created_at: number;
  readonly updated_at: number;
}

/** `POST /api/v1/streams/<id>/key`: the new key (shown once). */
export interface StreamKeyView {
  readonly stream_id: string;
  readonly stream_key: string;
  readonly rtmp_ingest: string;
}

/** `POST /api/v1/streams/create`. */
export interface CreatedStream extends StreamKeyView {
  readonly hls_playback: string;
  readonly stream: StreamView;
}

export interface StreamPage {
  readonly streams: readonly StreamView[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** `GET /api/v1/streams/user/<pubkey>`: the user's streams and the one they are on now. */
export interface UserStreamsPage extends StreamPage {
  readonly pubkey: string;
  readonly current: StreamView | null;
}

/** `GET /api/v1/info`. */
export interface ServiceInfo {
  readonly pubkey: string;
  readonly relay: string;
  readonly rtmp_url: string;
  readonly version: string;
  /** The external relays (config RELAYS) that this service's 30311 events are also published to; read for discovery too. */
  readonly relays: readonly string[];
}

/** `GET /api/v1/categories`. */
export interface CategoriesView {
  readonly categories: typeof CATEGORIES;
  readonly quality_choices: typeof QUALITY_CHOICES;
  readonly ladder: typeof LADDER;
  readonly limits: typeof LIMITS;
}

/** `WS /api/v1/streams/<id>/ws`: what the server pushes. */
export type FeedMessage =
  | {
      readonly type: 'status';
      readonly stream_id: string;
      readonly status: StreamStatus;
      readonly paused: boolean;
      readonly started_at: number | null;
      readonly ended_at: number | null;
      readonly recording_url: string | null;
    }
  | { readonly type: 'viewers'; readonly current: number; readonly peak: number; readonly total: number }
  | { readonly type: 'health'; readonly ingest: IngestHealth }
  | { readonly type: 'track'; readonly track: TrackView | null }
  | { readonly type: 'error'; readonly error: string; readonly message: string };

/** The API's answers, as documented in the README. */
export type StreamStatus = 'created' | 'connected' | 'live' | 'reconnecting' | 'ended' | 'error';

export interface IngestHealth {
  uptime_seconds: number;
  encoder: string | null;
  bitrate_kbps: number | null;
  video: {
    codec: string;
    width: number | null;
    height: number | null;
    fps: number | null;
    keyframe_interval_seconds: number | null;
    bitrate_kbps: number | null;
    dropped_frames: number;
  } | null;
  audio: { codec: string; sample_rate: number | null; channels: number | null; bitrate_kbps: number | null } | null;
  warnings: string[];
}

export interface StreamView {
  stream_id: string;
  pubkey: string;
  title: string;
  description: string;
  category: string;
  tags: string[];
  visibility: 'public' | 'private';
  enable_chat: boolean;
  record: boolean;
  quality: string;
  quality_options: string[];
  status: StreamStatus;
  paused: boolean;
  status_reason?: string | null;
  preview_url?: string;
  share_url?: string;
  moderators?: string[];
  ingest?: IngestHealth | null;
  rtmp_ingest: string;
  hls_playback: string;
  /** The cover picture the streamer gave; null for none. */
  image_url: string | null;
  thumbnail_url: string | null;
  recording_url: string | null;
  started_at: number | null;
  ended_at: number | null;
  current_viewers: number;
  max_viewers: number;
  total_viewers: number;
  created_at: number;
}

export interface CreatedStream {
  stream_id: string;
  stream_key: string;
  rtmp_ingest: string;
  hls_playback: string;
  stream: StreamView;
}

export interface ServiceInfo {
  pubkey: string;
  relay: string;
  rtmp_url: string;
  version: string;
  /** External relays (config RELAYS) this service also publishes to; read for discovery too. */
  relays: string[];
}

export type { StreamAnalytics } from '../../../src/protocol/analytics';

export type FeedMessage =
  | { type: 'status'; stream_id: string; status: StreamStatus; paused: boolean; recording_url: string | null }
  | { type: 'viewers'; current: number; peak: number; total: number }
  | { type: 'health'; ingest: IngestHealth }
  | { type: 'error'; error: string; message: string };

import type { Generated } from 'kysely';
import type { SignerMode, StreamType } from '../protocol/stream-settings.js';

/**
 * The tables as Kysely sees them. Times are Unix seconds (as in Nostr) and flags are 0/1
 * integers, so that both engines store and return the same values.
 */
export interface StreamsTable {
  id: string;
  pubkey: string;
  title: string;
  description: string;
  category: string;
  visibility: 'public' | 'private';
  enable_chat: number;
  record: number;
  quality: string;
  /** SHA-256 hex of the stream key; the key itself is never stored. */
  stream_key_hash: string;
  rtmp_ingest_url: string;
  hls_playback_url: string;
  status: string;
  status_reason: string | null;
  started_at: number | null;
  ended_at: number | null;
  current_viewers: number;
  max_viewers: number;
  total_viewers: number;
  created_at: number;
  updated_at: number;
  /** 1 while the owner has paused a live stream (viewers see a slate). */
  paused: Generated<number>;
  recording_url: string | null;
  /** The cover picture the streamer gave; null for none (the live thumbnail stands in). */
  image_url: string | null;
  stream_type: Generated<StreamType>;
  /** The current track (see stream_tracks); all null when none is set. */
  now_playing_title: string | null;
  now_playing_artist: string | null;
  now_playing_link: string | null;
  now_playing_started_at: number | null;
  signer: Generated<SignerMode>;
  /** The NIP-75 zap goal's event id (kind 9041); null when none is set. */
  goal_event_id: string | null;
  /** When the first picture of the stream was taken; null while it has none. */
  thumbnail_at: number | null;
  /** When the streamer plans to go live (Unix seconds); null when not scheduled. */
  starts_at: number | null;
}

/** A streamer-signed stream's NIP-46 session with the streamer's bunker. */
export interface StreamSignersTable {
  stream_id: string;
  /** Hex secret key of this service's client side of the session (one per stream). */
  client_secret: string;
  bunker_pubkey: string;
  /** JSON array of the bunker's relay URLs. */
  relays: string;
  /** JSON of the newest `ended` 30311 the bunker signed ahead; null until the first one. */
  ended_twin: string | null;
}

export interface StreamModeratorsTable {
  stream_id: string;
  pubkey: string;
}

export interface StreamTagsTable {
  stream_id: string;
  tag: string;
}

/** Every track a streamer set as "now playing", in the order set. */
export interface StreamTracksTable {
  id: Generated<number>;
  stream_id: string;
  title: string;
  artist: string;
  link: string | null;
  started_at: number;
}

export interface StreamMetricsTable {
  id: Generated<number>;
  stream_id: string;
  timestamp: number;
  concurrent_viewers: number;
  total_viewers: number;
  /** Chat messages during this sample's interval. */
  chat_messages: number;
  /** Ingest kbit/s when the sample was taken; null while no encoder is connected. */
  bitrate: number | null;
  /** Running totals since the stream started. */
  watch_seconds: Generated<number>;
  buffering_events: Generated<number>;
  dropouts: Generated<number>;
  /** Buffering time reported by players, summed over viewers. */
  buffering_seconds: Generated<number>;
  quality_switches: Generated<number>;
}

/** Viewers of a stream per country (ISO 3166 alpha-2, `ZZ` when unknown); no address is stored. */
export interface StreamViewerCountriesTable {
  stream_id: string;
  country: string;
  viewers: number;
}

/** A valid zap receipt to one of our streams (the zap ledger). */
export interface ZapsTable {
  receipt_id: string;
  stream_id: string;
  /** Who was paid: the host, or a chatter whose message was zapped. */
  recipient: string;
  sender: string;
  amount_msats: number;
  comment: string;
  /** The chat message zapped; null for a zap to the stream. */
  event_id: string | null;
  paid_at: number;
}

export interface NostrEventsTable {
  id: string;
  pubkey: string;
  kind: number;
  created_at: number;
  content: string;
  /** The event's tags as JSON. */
  tags: string;
  sig: string;
  slot: string | null;
  expires_at: number | null;
}

export interface NostrTagsTable {
  event_id: string;
  name: string;
  value: string;
  kind: number;
  created_at: number;
}

export interface NostrDeletionsTable {
  /** A deleted event id, or a `kind:pubkey:d` coordinate. */
  target: string;
  pubkey: string;
  deleted_at: number;
}

export interface Nip98ClaimsTable {
  /** The auth event's id. */
  id: string;
  /** Unix seconds after which the event could no longer pass the time check anyway. */
  expires_at: number;
}

/** A stream's forwarding (restream) destination. */
export interface StreamDestinationsTable {
  id: string;
  stream_id: string;
  name: string;
  url: string;
  /** The destination's stream key, AES-256-GCM sealed (forwarding/secret-box.ts); never the plaintext. */
  key_sealed: string;
  /** The key's masked form (`••••abcd`), shown without opening the seal. */
  key_hint: string;
  created_at: number;
}

export interface DatabaseSchema {
  streams: StreamsTable;
  stream_tags: StreamTagsTable;
  stream_moderators: StreamModeratorsTable;
  stream_metrics: StreamMetricsTable;
  stream_tracks: StreamTracksTable;
  stream_signers: StreamSignersTable;
  nostr_events: NostrEventsTable;
  nostr_tags: NostrTagsTable;
  nostr_deletions: NostrDeletionsTable;
  nip98_claims: Nip98ClaimsTable;
  zaps: ZapsTable;
  stream_destinations: StreamDestinationsTable;
  stream_viewer_countries: StreamViewerCountriesTable;
}

import type { Category } from '../protocol/categories.js';
import type { QualityChoice } from '../protocol/quality.js';
import type { SignerMode, StreamType, Visibility } from '../protocol/stream-settings.js';
import type { StreamStatus } from './lifecycle.js';

/** A stream as the service knows it. Times are Unix seconds. */
export interface Stream {
  readonly id: string;
  readonly pubkey: string;
  readonly title: string;
  readonly description: string;
  readonly category: Category;
  readonly tags: readonly string[];
  readonly visibility: Visibility;
  /** What the streamer says they send; the media that arrives decides the ladder. */
  readonly streamType: StreamType;
  /** Whose key signs its 30311: fixed for its life, since the event's coordinate depends on it. */
  readonly signer: SignerMode;
  readonly enableChat: boolean;
  readonly record: boolean;
  readonly quality: QualityChoice;
  readonly status: StreamStatus;
  /** Why the stream is in `error` (or how it ended), readable by its owner. */
  readonly statusReason: string | null;
  readonly rtmpIngestUrl: string;
  readonly hlsPlaybackUrl: string;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly currentViewers: number;
  readonly maxViewers: number;
  readonly totalViewers: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** The owner paused the live stream: viewers see a "be right back" slate. */
  readonly paused: boolean;
  /** The finished recording's VOD playlist, once there is one. */
  readonly recordingUrl: string | null;
  /** The cover picture the streamer gave (an http(s) URL); null: the live thumbnail stands in. */
  readonly imageUrl: string | null;
  /** Pubkeys the host named to moderate the chat. */
  readonly moderators: readonly string[];
  /** The track the streamer says is playing; null when none is set, and always once the stream has ended. */
  readonly nowPlaying: Track | null;
  /** The streamer's NIP-75 zap goal (a kind 9041 event id, the 30311 `goal`); null when none is set. */
  readonly goal: string | null;
  /** When the first picture of its video was taken; null while there is none to show (no media yet, or sound only). */
  readonly thumbnailAt: number | null;
  /** When the streamer plans to go live (Unix seconds); null when not scheduled. `startedAt` is when it did. */
  readonly startsAt: number | null;
}

/** A track the streamer set as "now playing", from `startedAt` (Unix seconds) until the next one. */
export interface Track {
  readonly title: string;
  /** Empty when the streamer gave none. */
  readonly artist: string;
  readonly link: string | null;
  readonly startedAt: number;
}

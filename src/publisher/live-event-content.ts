import { HOST_ROLE, MODERATOR_ROLE, type LiveEventContent, type LiveStatus, type NowPlayingTrack } from '../protocol/live-event.js';
import { ZAP_STREAM_CATEGORIES } from '../protocol/categories.js';
import { renditionsFor } from '../protocol/quality.js';
import { thumbnailBeside } from '../segments/playback-paths.js';
import type { StreamStatus } from '../streams/lifecycle.js';
import type { Stream, Track } from '../streams/stream.js';

export interface PublishingContext {
  /** The built-in relay's URL, written as the host's relay hint and first in `relays`. */
  readonly ownRelay: string;
  readonly externalRelays: readonly string[];
}

/** A stream is `planned` until it goes live, and `ended` whatever way it stopped. */
const LIVE_STATUS: Record<StreamStatus, LiveStatus> = {
  created: 'planned',
  connected: 'planned',
  live: 'live',
  reconnecting: 'live',
  ended: 'ended',
  error: 'ended',
};

export function liveStatusOf(stream: Stream): LiveStatus {
  return LIVE_STATUS[stream.status];
}

/**
 * What the service says about a stream on Nostr: the stream as the database has it,
 * mapped onto the NIP-53 tags (plus the plan's extras and what zap.stream and nostrudel read).
 *
 * An audio stream's `cover` (`Covers.urlFor`) is both its image and its thumbnail: its
 * ladder has no picture to take a thumbnail from.
 *
 *   buildLiveEvent(liveEventContent(stream, context, await covers.urlFor(stream)), now) → sign with the service key
 */
export function liveEventContent(stream: Stream, context: PublishingContext, cover: string | null): LiveEventContent {
  const status = liveStatusOf(stream);
  // Before Start the pictures are of the host's private preview: not for the public event.
  const hasPicture = stream.thumbnailAt !== null && stream.startedAt !== null;
  const thumbnail = cover ?? (hasPicture ? thumbnailBeside(stream.hlsPlaybackUrl) : undefined);
  return {
    identifier: stream.id,
    status,
    title: stream.title,
    summary: stream.description,
    // The streamer's cover when they gave one; otherwise the live picture is the best there is.
    image: stream.imageUrl ?? thumbnail,
    thumbnail,
    // Ended, the recording is what plays (nostrudel lists an ended stream only with a playable
    // `streaming` URL); with no recording there is nothing to point at: the live window goes away.
    streaming: status === 'live' ? stream.hlsPlaybackUrl : status === 'ended' ? (stream.recordingUrl ?? undefined) : undefined,
    recording: stream.recordingUrl ?? undefined,
    // Planned, the time the streamer chose; once live, the real start.
    starts: stream.startedAt ?? stream.startsAt ?? undefined,
    ends: status === 'ended' ? (stream.endedAt ?? stream.updatedAt) : undefined,
    // Every status carries both counts (the plan's example does); nobody watches a stream that is not live.
    currentParticipants: status === 'live' ? stream.currentViewers : 0,
    totalParticipants: stream.totalViewers,
    participants: [
      { pubkey: stream.pubkey, relay: context.ownRelay, role: HOST_ROLE },
      ...stream.moderators.map((pubkey) => ({ pubkey, relay: context.ownRelay, role: MODERATOR_ROLE })),
    ],
    hashtags: [...new Set([stream.category, ...stream.tags])],
    zapStreamCategory: ZAP_STREAM_CATEGORIES[stream.category],
    relays: [context.ownRelay, ...context.externalRelays],
    streamingType: stream.streamType,
    qualityOptions: ['source', ...renditionsFor(stream.quality).map((rendition) => rendition.name)],
    // An ended event says nothing plays (a failed stream keeps its track in case it comes back).
    goal: stream.goal ?? undefined,
    nowPlaying: status === 'ended' || !stream.nowPlaying ? undefined : nowPlayingTrack(stream.nowPlaying),
  };
}

function nowPlayingTrack({ title, artist, link }: Track): NowPlayingTrack {
  return link === null ? { title, artist } : { title, artist, link };
}

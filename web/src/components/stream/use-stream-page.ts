import { useCallback, useState } from 'react';
import type { StreamStatus, StreamType } from '../../../../src/protocol/api-views';
import type { Coordinate } from '../../../../src/protocol/coordinate';
import { KIND } from '../../../../src/protocol/kinds';
import { hasRole, MODERATOR_ROLE } from '../../../../src/protocol/live-event';
import { ApiError } from '../../lib/api';
import { hasResumePoint } from '../player/use-resume';
import { useChatChannel } from '../../lib/chat-channel';
import { isReallyLive, useLiveEvents } from '../../lib/live-events';
import { useRelays, useServiceInfo } from '../../lib/nostr';
import { trackOfEvent, useNowPlaying } from '../../lib/now-playing';
import { addressLinkOf, publicLinkOf } from '../../lib/share-links';
import { useStreamZaps } from '../../lib/stream-zaps';
import { tokenOf, useStream, useStreamFeed, withToken } from '../../lib/streams';

/** What the page reads from the API for a coordinate that is not one of our streams. */
const NOT_OURS = { data: undefined, error: null } as const;

/**
 * Everything the stream page shows about one NIP-53 stream, from its 30311 (any service's) and,
 * for ours, the API and the real-time feed: the parts (stage, headline, about, chat) only render it.
 */
export function useStreamPage(coordinate: Coordinate, hints: string[]) {
  const ownRelays = useRelays();
  const info = useServiceInfo();
  const relays = [...new Set([...ownRelays, ...hints])];
  const [event] = useLiveEvents(relays, { kinds: [KIND.liveEvent], authors: [coordinate.pubkey], '#d': [coordinate.identifier] });
  const token = tokenOf(window.location.href);
  // A stream of ours is signed by the service's key or by its streamer's: the API says which, and only that author's coordinate is ours
  // (another key's event with one of our ids is someone else's).
  const lookup = useStream(coordinate.identifier, token);
  const ours = lookup.data ? lookup.data.event_pubkey === coordinate.pubkey : info.data?.pubkey === coordinate.pubkey;
  const api = ours ? lookup : NOT_OURS;
  // Status changes arrive on the feed, which refreshes `api` at once: reconnecting and back, ended.
  const feed = useStreamFeed(ours ? coordinate.identifier : undefined, token);
  // What the playlist carries, once a player has read it: it outranks what the stream says it sends.
  const [sends, setSends] = useState<StreamType>();
  const showListening = useCallback(() => setSends('audio'), []);
  const showVideo = useCallback(() => setSends('video'), []);
  // Kept here, not in the stage: a window resized across the phone/desktop line mounts the other layout's stage.
  const [replayChosen, setReplayChosen] = useState(false);
  const replay = useCallback(() => setReplayChosen(true), []);
  // Ours: the API's answer and the feed (the track's own start time); another service's: its 30311's tag.
  const { track, notices } = useNowPlaying(ours ? api.data?.now_playing : trackOfEvent(event), feed.track);

  // Our private streams have no public event: the API (with the shared link's token) describes them.
  const status: StreamStatus | undefined = api.data?.status;
  const title = event?.title ?? api.data?.title ?? 'Stream';
  const host = event?.host ?? api.data?.pubkey;
  // Our API knows a dropped encoder (its 30311 still says live through the grace period).
  const reconnecting = status === 'reconnecting';
  // A stream stopped by a failure (`error`) is over too, and its 30311 says ended.
  const ended = event?.status === 'ended' || status === 'ended' || status === 'error';
  const live = !ended && (event ? isReallyLive(event) : status === 'live' || reconnecting);
  const streaming = event?.streaming ?? (api.data && live ? api.data.hls_playback : undefined);
  const recording = withToken(event?.recording ?? api.data?.recording_url ?? undefined, token);
  const src = ended ? undefined : withToken(streaming, token);
  // A viewer who was part-way through the replay goes on with it rather than meeting the end card again.
  const replaying = replayChosen || (recording !== undefined && hasResumePoint(recording));
  const listening = (sends ?? api.data?.stream_type ?? event?.streamingType) === 'audio';
  const viewers = ended ? undefined : (feed.viewers?.current ?? event?.currentParticipants ?? api.data?.current_viewers);
  const startedAt = event?.starts ?? api.data?.started_at ?? undefined;
  const endedAt = api.data?.ended_at ?? event?.ends ?? undefined;
  // Not on yet: when the streamer plans to start (ours from the API, which a changed plan reaches first; else the 30311's `starts`).
  const plannedStart = live || ended ? undefined : ((api.data ? api.data.starts_at : event?.status === 'planned' ? event.starts : undefined) ?? undefined);
  const calendarUrl = api.data && plannedStart !== undefined ? withToken(`/api/v1/streams/${api.data.stream_id}/calendar.ics`, token) : undefined;
  const moderators = event?.participants.filter((participant) => hasRole(participant, MODERATOR_ROLE)).map((participant) => participant.pubkey) ?? [];
  // Ours, no public event, and the API says no: a guessed id, or a private link without (or with a stale) token.
  const unavailable = ours && !event && api.error instanceof ApiError && api.error.status === 404;
  // A private stream's chat is read on this service's relay with the link's token (the owner's own link when they have none).
  // Until the API has said whether one of ours is private, its chat is not asked for anywhere.
  const isPrivate = api.data?.visibility === 'private';
  const chatToken = token ?? tokenOf(api.data?.share_url);
  const channel = useChatChannel(
    coordinate,
    !event && (lookup.isPending || (ours && !api.data)) ? [] : relays,
    isPrivate && info.data ? { relay: info.data.relay, token: chatToken } : undefined,
  );
  // Receipts are believed only from their recipient's LNURL server; the zap's receipt goes to ours and the stream's relays.
  const zaps = useStreamZaps(coordinate, channel, host);
  const zapRelays = [...new Set([...ownRelays, ...(event?.relays ?? [])])];
  // The link to hand on: a viewer of a private stream passes on the link they came with; its owner, the shared one.
  const link = api.data
    ? token
      ? window.location.href
      : publicLinkOf(api.data)
    : addressLinkOf(coordinate, relays);

  return {
    coordinate,
    event,
    api: api.data,
    feed,
    relays,
    token,
    title,
    host,
    live,
    reconnecting,
    ended,
    failed: status === 'error',
    src,
    recording,
    whepUrl: live ? withToken(api.data?.whep_url, token) : undefined,
    listening,
    viewers,
    startedAt,
    endedAt,
    plannedStart,
    calendarUrl,
    moderators,
    unavailable,
    known: Boolean(event || api.data),
    isPrivate,
    // A private stream takes no zaps: a receipt is public, and would tell everyone the stream exists (our relay refuses them).
    zappable: !isPrivate,
    channel,
    zaps,
    zapRelays,
    track,
    notices,
    link,
    showListening,
    showVideo,
    replaying,
    replay,
  };
}

export type StreamPageState = ReturnType<typeof useStreamPage>;

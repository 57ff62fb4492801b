import { formatCoordinate, liveEventCoordinate, type Coordinate } from './coordinate.js';
import { optional, relayHint, type EventTemplate, type ReceivedEvent } from './event-template.js';
import { KIND } from './kinds.js';
import { isHexPubkey, tagsNamed } from './nostr-event.js';
import { isProofShaped } from './participant-proof.js';
import { parsed, rejected, type Parsed } from './result.js';
import { hasProtocol } from './url.js';

/**
 * NIP-53 live event (kind 30311): the one description of a stream that the service
 * publishes and that the web app reads, ours or another service's.
 *
 *   const template = buildLiveEvent({ identifier: stream.id, status: 'live', ... }, now);
 *   const event = parseLiveEvent(received);   // { ok: true, value: LiveEvent } or a reason
 */
export const LIVE_STATUSES = ['planned', 'live', 'ended'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];

/** Written lowercase (zap.stream matches the exact string); read regardless of case. */
export const HOST_ROLE = 'host';
export const MODERATOR_ROLE = 'moderator';
export const SPEAKER_ROLE = 'speaker';

export interface Participant {
  readonly pubkey: string;
  readonly relay?: string;
  /** Lowercase as written by us; compare with `hasRole`. */
  readonly role?: string;
  /** NIP-53 proof: the participant's signature over the event's coordinate (see participant-proof.ts). */
  readonly proof?: string;
}

/**
 * Our extension tag `["now_playing", <title>, <artist>, <link>]`: the track the streamer says
 * is playing. NIP-53 has no such tag; clients that do not know it ignore it.
 */
export const NOW_PLAYING_TAG = 'now_playing';

/** zap.stream's own categories are `t` tags with this prefix (its `extractGameTag`, src/utils.ts). */
const ZAP_STREAM_CATEGORY_PREFIX = 'internal:';

export interface NowPlayingTrack {
  readonly title: string;
  /** Empty when the streamer gave none. */
  readonly artist: string;
  /** An http(s) URL; absent when none was given (or what was written is not one). */
  readonly link?: string;
}

export interface LiveEventContent {
  /** The `d` tag: our stream id. */
  readonly identifier: string;
  readonly status: LiveStatus;
  readonly title?: string;
  readonly summary?: string;
  readonly image?: string;
  /** Written as both `thumbnail` (NIP-53) and `thumb` (what zap.stream's client and backend use). */
  readonly thumbnail?: string;
  readonly streaming?: string;
  readonly recording?: string;
  readonly starts?: number;
  readonly ends?: number;
  readonly currentParticipants?: number;
  readonly totalParticipants?: number;
  readonly participants: readonly Participant[];
  readonly hashtags: readonly string[];
  /**
   * zap.stream's category id (`ZAP_STREAM_CATEGORIES`), written as `["t", "internal:<id>"]`:
   * its category pages list a stream by that tag. Kept apart from the hashtags, which people read.
   */
  readonly zapStreamCategory?: string;
  readonly relays: readonly string[];
  /** The plan's extras: `video` or `audio` for us. */
  readonly streamingType?: string;
  readonly qualityOptions: readonly string[];
  /**
   * zap.stream reads these: a content warning and a zap goal id. (Not its `service` tag: that
   * names a zap.stream API, whose `account` and `notifications/*` endpoints this service does not answer.)
   */
  readonly contentWarning?: string;
  readonly goal?: string;
  /** NIP-40: the Unix second after which relays drop the event and clients ignore it. */
  readonly expiration?: number;
  /** The track playing now (our `now_playing` tag). */
  readonly nowPlaying?: NowPlayingTrack;
}

/** A live event as received: its content plus who published it and where it lives. */
export interface LiveEvent extends LiveEventContent {
  readonly id: string;
  readonly author: string;
  readonly createdAt: number;
  readonly coordinate: Coordinate;
  /** The participant with the host role, falling back to the author (NIP-53). */
  readonly host: string;
}

export function hasRole(participant: Participant, role: string): boolean {
  return participant.role?.toLowerCase() === role;
}

export function buildLiveEvent(content: LiveEventContent, createdAt: number): EventTemplate {
  const tags: string[][] = [['d', content.identifier]];
  const text = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') tags.push([name, value]);
  };
  const number = (name: string, value: number | undefined) => {
    if (value !== undefined) tags.push([name, String(value)]);
  };
  text('title', content.title);
  // Written even when empty: clients (and the plan's example) expect the tag.
  tags.push(['summary', content.summary ?? '']);
  text('image', content.image);
  text('thumbnail', content.thumbnail);
  text('thumb', content.thumbnail);
  text('streaming', content.streaming);
  text('recording', content.recording);
  number('starts', content.starts);
  number('ends', content.ends);
  tags.push(['status', content.status]);
  number('current_participants', content.currentParticipants);
  number('total_participants', content.totalParticipants);
  for (const participant of content.participants) {
    const tag = ['p', participant.pubkey, relayHint(participant.relay), participant.role ?? ''];
    if (participant.proof) tag.push(participant.proof);
    tags.push(trimTrailingEmpty(tag));
  }
  for (const hashtag of content.hashtags) tags.push(['t', hashtag]);
  if (content.zapStreamCategory) tags.push(['t', `${ZAP_STREAM_CATEGORY_PREFIX}${content.zapStreamCategory}`]);
  if (content.relays.length > 0) tags.push(['relays', ...content.relays]);
  text('streaming_type', content.streamingType);
  if (content.qualityOptions.length > 0) tags.push(['quality_options', content.qualityOptions.join(',')]);
  if (content.nowPlaying) {
    const { title, artist, link } = content.nowPlaying;
    tags.push(trimTrailingEmpty([NOW_PLAYING_TAG, title, artist, link ?? '']));
  }
  text('content-warning', content.contentWarning);
  text('goal', content.goal);
  number('expiration', content.expiration);
  // The plan's example carries the description as the content too, for clients that show only content.
  return { kind: KIND.liveEvent, created_at: createdAt, tags, content: content.summary ?? '' };
}

/**
 * Reads any kind 30311 strictly: known tags must be well-formed; unknown tags are ignored. A `p`
 * tag without a pubkey is skipped rather than refusing the event: one bad participant entry
 * must not hide a stream from discovery. Other clients' spellings are read too (`thumb`, `content_warning`).
 */
export function parseLiveEvent(event: ReceivedEvent): Parsed<LiveEvent> {
  if (event.kind !== KIND.liveEvent) return rejected(`kind ${event.kind} is not a live event (${KIND.liveEvent})`);
  if (!isHexPubkey(event.pubkey)) return rejected('the author is not a 64-character hex pubkey');
  const single = (name: string) => tagsNamed(event, name)[0]?.[1];
  const identifier = single('d');
  if (identifier === undefined) return rejected('a live event needs a d tag');

  const status = single('status') ?? 'planned';
  if (!isLiveStatus(status)) return rejected(`status "${status}" is not one of ${LIVE_STATUSES.join(', ')}`);

  const numbers: Record<'starts' | 'ends' | 'current_participants' | 'total_participants' | 'expiration', number | undefined> = {
    starts: undefined,
    ends: undefined,
    current_participants: undefined,
    total_participants: undefined,
    expiration: undefined,
  };
  for (const name of Object.keys(numbers) as (keyof typeof numbers)[]) {
    const value = single(name);
    if (value === undefined || value === '') continue;
    if (!/^\d{1,15}$/.test(value)) return rejected(`${name} must be a whole number, got "${value}"`);
    numbers[name] = Number(value);
  }

  const participants: Participant[] = [];
  for (const [, pubkey, relay, role, proof] of tagsNamed(event, 'p')) {
    if (pubkey === undefined || !isHexPubkey(pubkey)) continue;
    participants.push(
      withoutUndefined({
        pubkey,
        relay: optional(relay),
        role: optional(role)?.toLowerCase(),
        // A malformed proof is no proof: the participant stays, shown as not having agreed.
        proof: proof !== undefined && isProofShaped(proof) ? proof : undefined,
      }),
    );
  }

  const hashtags = tagsNamed(event, 't').flatMap(([, value]) => (value ? [value] : []));
  const content: LiveEventContent = withoutUndefined({
    identifier,
    status,
    title: optional(single('title')),
    summary: optional(single('summary')),
    image: optional(single('image')),
    thumbnail: optional(single('thumbnail')) ?? optional(single('thumb')),
    streaming: optional(single('streaming')),
    recording: optional(single('recording')),
    starts: numbers.starts,
    ends: numbers.ends,
    currentParticipants: numbers.current_participants,
    totalParticipants: numbers.total_participants,
    participants,
    hashtags: hashtags.filter((value) => !value.startsWith(ZAP_STREAM_CATEGORY_PREFIX)),
    zapStreamCategory: hashtags.find((value) => value.startsWith(ZAP_STREAM_CATEGORY_PREFIX))?.slice(ZAP_STREAM_CATEGORY_PREFIX.length) || undefined,
    relays: tagsNamed(event, 'relays').flatMap(([, ...urls]) => urls.filter((url) => url !== '')),
    streamingType: optional(single('streaming_type')),
    qualityOptions: (single('quality_options') ?? '').split(',').map((option) => option.trim()).filter(Boolean),
    // zap.stream's client writes `content-warning`, its backend (zap-stream-core) `content_warning`.
    contentWarning: optional(single('content-warning')) ?? optional(single('content_warning')),
    goal: optional(single('goal')),
    expiration: numbers.expiration,
    nowPlaying: nowPlayingOf(tagsNamed(event, NOW_PLAYING_TAG)[0]),
  });
  const host = participants.find((participant) => hasRole(participant, HOST_ROLE))?.pubkey ?? event.pubkey;
  return parsed({
    ...content,
    id: event.id,
    author: event.pubkey,
    createdAt: event.created_at,
    coordinate: liveEventCoordinate(event.pubkey, identifier),
    host,
  });
}

/** `30311:<author>:<d>` of a parsed live event, as chat and reactions write it. */
export const liveEventAddress = (event: Pick<LiveEvent, 'coordinate'>): string => formatCoordinate(event.coordinate);

/**
 * A now-playing tag without a title says nothing and is skipped rather than refusing the
 * whole event (it is an extra, like a proof); a link that is not http(s) is never shown.
 */
function nowPlayingOf(tag: readonly string[] | undefined): NowPlayingTrack | undefined {
  const [, title, artist, link] = tag ?? [];
  if (!title) return undefined;
  return withoutUndefined({
    title,
    artist: artist ?? '',
    link: link && hasProtocol(link, ['http:', 'https:']) ? link : undefined,
  });
}

function isLiveStatus(value: string): value is LiveStatus {
  return (LIVE_STATUSES as readonly string[]).includes(value);
}

function trimTrailingEmpty(tag: string[]): string[] {
  while (tag.length > 2 && tag[tag.length - 1] === '') tag.pop();
  return tag;
}

/** Drops absent optional fields so that results compare and serialise cleanly. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

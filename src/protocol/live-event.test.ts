import { finalizeEvent, generateSecretKey, getPublicKey, verifyEvent } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { formatCoordinate } from './coordinate.js';
import type { ReceivedEvent } from './event-template.js';
import { buildLiveEvent, HOST_ROLE, hasRole, liveEventAddress, parseLiveEvent, type LiveEventContent } from './live-event.js';

const serviceKey = generateSecretKey();
const service = getPublicKey(serviceKey);
const streamer = getPublicKey(generateSecretKey());

const full: LiveEventContent = {
  identifier: 'b3a1c0de-0000-4000-8000-000000000001',
  status: 'live',
  title: 'Late night synths',
  summary: 'Modular jam',
  image: 'https://live.example/hls/1/thumb.jpg',
  thumbnail: 'https://live.example/hls/1/thumb.jpg',
  streaming: 'https://live.example/hls/1/master.m3u8',
  recording: 'https://live.example/vod/1/index.m3u8',
  starts: 1_700_000_000,
  ends: 1_700_003_600,
  currentParticipants: 12,
  totalParticipants: 40,
  participants: [{ pubkey: streamer, relay: 'wss://relay.example', role: HOST_ROLE }],
  hashtags: ['music', 'live'],
  zapStreamCategory: 'music',
  relays: ['wss://relay.example', 'wss://relay2.example'],
  streamingType: 'video',
  qualityOptions: ['source', '720p', '480p', '360p'],
  contentWarning: 'loud',
  goal: 'a'.repeat(64),
  expiration: 1_700_000_900,
  nowPlaying: { title: 'Windowlicker', artist: 'Aphex Twin', link: 'https://music.example/track/1' },
};

function sign(template: ReturnType<typeof buildLiveEvent>) {
  return finalizeEvent({ ...template, tags: template.tags.map((tag) => [...tag]) }, serviceKey);
}

function foreign(tags: string[][], pubkey = streamer): ReceivedEvent {
  return { id: 'f'.repeat(64), pubkey, created_at: 1_700_000_000, kind: 30311, tags, content: '' };
}

describe('kind 30311 live event', () => {
  it('writes every tag of the plan and of NIP-53, with the host role lowercase', () => {
    const { kind, tags, content } = buildLiveEvent(full, 1_700_000_100);
    expect(kind).toBe(30311);
    // The description is the content too, as in the plan's example.
    expect(content).toBe('Modular jam');
    expect(tags).toEqual([
      ['d', full.identifier],
      ['title', 'Late night synths'],
      ['summary', 'Modular jam'],
      ['image', 'https://live.example/hls/1/thumb.jpg'],
      ['thumbnail', 'https://live.example/hls/1/thumb.jpg'],
      ['thumb', 'https://live.example/hls/1/thumb.jpg'],
      ['streaming', 'https://live.example/hls/1/master.m3u8'],
      ['recording', 'https://live.example/vod/1/index.m3u8'],
      ['starts', '1700000000'],
      ['ends', '1700003600'],
      ['status', 'live'],
      ['current_participants', '12'],
      ['total_participants', '40'],
      ['p', streamer, 'wss://relay.example', 'host'],
      ['t', 'music'],
      ['t', 'live'],
      ['t', 'internal:music'],
      ['relays', 'wss://relay.example', 'wss://relay2.example'],
      ['streaming_type', 'video'],
      ['quality_options', 'source,720p,480p,360p'],
      ['now_playing', 'Windowlicker', 'Aphex Twin', 'https://music.example/track/1'],
      ['content-warning', 'loud'],
      ['goal', 'a'.repeat(64)],
      ['expiration', '1700000900'],
    ]);
  });

  it('omits what is not known instead of writing empty tags, except the summary clients expect', () => {
    const { tags, content } = buildLiveEvent(
      { identifier: 'x', status: 'planned', participants: [], hashtags: [], relays: [], qualityOptions: [] },
      1,
    );
    expect(tags).toEqual([
      ['d', 'x'],
      ['summary', ''],
      ['status', 'planned'],
    ]);
    expect(content).toBe('');
  });

  it('round-trips through a signature and the parser', () => {
    const event = sign(buildLiveEvent(full, 1_700_000_100));
    expect(verifyEvent(event)).toBe(true);
    const result = parseLiveEvent(event);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ ...full, id: event.id, author: service, createdAt: 1_700_000_100, host: streamer });
    expect(liveEventAddress(result.value)).toBe(formatCoordinate({ kind: 30311, pubkey: service, identifier: full.identifier }));
  });

  it('writes the now-playing tag without trailing empty positions, keeping an empty artist before a link', () => {
    const base = { identifier: 'x', status: 'live', participants: [], hashtags: [], relays: [], qualityOptions: [] } as const;
    const nowPlaying = (track: LiveEventContent['nowPlaying']) =>
      buildLiveEvent({ ...base, nowPlaying: track }, 1).tags.filter(([name]) => name === 'now_playing');
    expect(nowPlaying({ title: 'Intro', artist: '' })).toEqual([['now_playing', 'Intro']]);
    expect(nowPlaying({ title: 'Intro', artist: 'DJ Q' })).toEqual([['now_playing', 'Intro', 'DJ Q']]);
    expect(nowPlaying({ title: 'Intro', artist: '', link: 'https://x.example/1' })).toEqual([['now_playing', 'Intro', '', 'https://x.example/1']]);
    expect(nowPlaying(undefined)).toEqual([]);
  });

  it.each([
    ['title only', ['now_playing', 'Intro'], { title: 'Intro', artist: '' }],
    ['title and artist', ['now_playing', 'Intro', 'DJ Q'], { title: 'Intro', artist: 'DJ Q' }],
    ['an empty artist and a link', ['now_playing', 'Intro', '', 'https://x.example/1'], { title: 'Intro', artist: '', link: 'https://x.example/1' }],
    ['a link that is not http(s), dropped', ['now_playing', 'Intro', 'DJ Q', 'javascript:alert(1)'], { title: 'Intro', artist: 'DJ Q' }],
    ['no title, skipped without refusing the event', ['now_playing', '', 'DJ Q'], undefined],
  ])('reads a now-playing tag with %s', (_name, tag, expected) => {
    const result = parseLiveEvent(foreign([['d', 's'], ['status', 'live'], tag]));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.nowPlaying).toEqual(expected);
  });

  it('reads roles regardless of case (the NIP writes "Host")', () => {
    const result = parseLiveEvent(foreign([['d', 's'], ['p', service, '', 'Host'], ['p', streamer, '', 'Speaker']], streamer));
    expect(result.ok && result.value.host).toBe(service);
    expect(result.ok && result.value.participants.map((p) => hasRole(p, 'speaker'))).toEqual([false, true]);
  });

  it('falls back to the author as host when no participant has the role', () => {
    const result = parseLiveEvent(foreign([['d', 's'], ['status', 'live'], ['p', service]]));
    expect(result.ok && result.value.host).toBe(streamer);
  });

  it('reads a NIP-53 event from another service with only the basic tags', () => {
    const result = parseLiveEvent(
      foreign([['d', 'abc'], ['title', 'Talk'], ['status', 'ended'], ['starts', '1690000000'], ['t', 'talk'], ['x', 'y']]),
    );
    expect(result).toMatchObject({ ok: true, value: { identifier: 'abc', status: 'ended', starts: 1_690_000_000, hashtags: ['talk'] } });
  });

  it.each([
    ['no d tag', [['title', 'x']], /d tag/],
    ['an unknown status', [['d', 'x'], ['status', 'paused']], /status "paused"/],
    ['a non-numeric starts', [['d', 'x'], ['starts', 'soon']], /starts must be a whole number/],
    ['a negative viewer count', [['d', 'x'], ['current_participants', '-3']], /current_participants/],
    ['an expiration that is not a Unix second', [['d', 'x'], ['expiration', 'in an hour']], /expiration must be a whole number/],
  ])('refuses an event with %s, giving the reason', (_name, tags, reason) => {
    const result = parseLiveEvent(foreign(tags));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('reads the thumb and content_warning other services write when the NIP-53 spellings are absent', () => {
    const result = parseLiveEvent(foreign([['d', 's'], ['thumb', 'https://zap.example/t.jpg'], ['content_warning', 'nsfw']]));
    expect(result).toMatchObject({ ok: true, value: { thumbnail: 'https://zap.example/t.jpg', contentWarning: 'nsfw' } });
    const both = parseLiveEvent(
      foreign([['d', 's'], ['thumb', 'https://zap.example/t.jpg'], ['thumbnail', 'https://a.example/t.jpg'], ['content-warning', 'loud'], ['content_warning', 'nsfw']]),
    );
    expect(both).toMatchObject({ ok: true, value: { thumbnail: 'https://a.example/t.jpg', contentWarning: 'loud' } });
  });

  it('reads a stream with a malformed p tag, skipping only that tag', () => {
    const result = parseLiveEvent(foreign([['d', 's'], ['status', 'live'], ['p', 'npub1xyz', '', 'host'], ['p'], ['p', service, '', 'host']]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.participants).toEqual([{ pubkey: service, role: 'host' }]);
    expect(result.value.host).toBe(service);
  });

  it("reads zap.stream's internal:<category> tag as its category, not as a hashtag", () => {
    const result = parseLiveEvent(foreign([['d', 's'], ['t', 'internal:gaming'], ['t', 'speedrun']]));
    expect(result).toMatchObject({ ok: true, value: { zapStreamCategory: 'gaming', hashtags: ['speedrun'] } });
  });

  it('refuses other kinds without throwing', () => {
    const result = parseLiveEvent({ ...foreign([['d', 'x']]), kind: 1 });
    expect(result).toEqual({ ok: false, reason: 'kind 1 is not a live event (30311)' });
  });
});

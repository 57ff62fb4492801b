import { describe, expect, it } from 'vitest';
import type { Stream } from '../streams/stream.js';
import { buildLiveEvent } from '../protocol/live-event.js';
import { liveEventContent } from './live-event-content.js';

const PLANNED = 1_800_000_000;
const STARTED = 1_799_990_000;

const stream = (overrides: Partial<Stream>): Stream => ({
  id: 'stream-1',
  pubkey: 'a'.repeat(64),
  title: 'Planned jam',
  description: '',
  category: 'music',
  tags: [],
  visibility: 'public',
  enableChat: true,
  record: false,
  quality: '720p',
  status: 'created',
  statusReason: null,
  rtmpIngestUrl: 'rtmp://127.0.0.1:1935/live',
  hlsPlaybackUrl: 'http://localhost:8080/hls/stream-1/master.m3u8',
  startedAt: null,
  endedAt: null,
  currentViewers: 0,
  maxViewers: 0,
  totalViewers: 0,
  createdAt: 1_799_900_000,
  updatedAt: 1_799_900_000,
  paused: false,
  recordingUrl: null,
  imageUrl: null,
  goal: null,
  thumbnailAt: null,
  startsAt: PLANNED,
  streamType: 'video',
  signer: 'service',
  moderators: [],
  nowPlaying: null,
  ...overrides,
});

const context = { ownRelay: 'ws://localhost:8080/', externalRelays: [] };
const tag = (tags: string[][], name: string) => tags.find((entry) => entry[0] === name)?.[1];

describe('a scheduled stream in its 30311', () => {
  it('is planned with the chosen start while no encoder has gone live, connected or not', () => {
    for (const status of ['created', 'connected'] as const) {
      const { tags } = buildLiveEvent(liveEventContent(stream({ status }), context, null), 0);
      expect(tag(tags, 'status')).toBe('planned');
      expect(tag(tags, 'starts')).toBe(String(PLANNED));
      expect(tag(tags, 'streaming')).toBeUndefined();
    }
  });

  it('says when it really started once live, not when it was planned', () => {
    const { tags } = buildLiveEvent(liveEventContent(stream({ status: 'live', startedAt: STARTED }), context, null), 0);
    expect(tag(tags, 'status')).toBe('live');
    expect(tag(tags, 'starts')).toBe(String(STARTED));
  });

  it('has no starts when nobody scheduled it', () => {
    const { tags } = buildLiveEvent(liveEventContent(stream({ startsAt: null }), context, null), 0);
    expect(tag(tags, 'status')).toBe('planned');
    expect(tag(tags, 'starts')).toBeUndefined();
  });
});

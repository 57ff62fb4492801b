import { describe, expect, it } from 'vitest';
import type { Stream } from '../../streams/stream.js';
import { previewForPath, type PreviewSources } from './stream-preview.js';

const ID = '11111111-2222-4333-8444-555555555555';
const HOST = 'a'.repeat(64);
const SERVICE = 'b'.repeat(64);

const stream = (overrides: Partial<Stream> = {}): Stream => ({
  id: ID,
  pubkey: HOST,
  title: 'Acoustic session',
  description: 'Songs',
  category: 'music',
  tags: [],
  visibility: 'public',
  enableChat: true,
  record: false,
  quality: '720p',
  status: 'live',
  statusReason: null,
  rtmpIngestUrl: 'rtmp://127.0.0.1:1935/live',
  hlsPlaybackUrl: `https://live.example/hls/${ID}/master.m3u8`,
  startedAt: 1,
  endedAt: null,
  currentViewers: 0,
  maxViewers: 0,
  totalViewers: 0,
  createdAt: 1,
  updatedAt: 1,
  paused: false,
  recordingUrl: null,
  imageUrl: null,
  goal: null,
  thumbnailAt: 2,
  startsAt: null,
  streamType: 'video',
  signer: 'service',
  moderators: [],
  nowPlaying: null,
  ...overrides,
});

const sources = (found: Stream | undefined, cover: string | null = null): PreviewSources => ({
  find: async (id) => (id === found?.id ? found : undefined),
  hostName: async () => 'Alice',
  cover: async () => cover,
  eventAuthor: () => SERVICE,
  publicUrl: 'https://live.example',
  site: { name: 'Wavlake Live', about: 'Live streams on Nostr', picture: 'https://live.example/logo.png' },
});

describe('a stream link’s preview', () => {
  it('shows a live video stream with its live thumbnail', async () => {
    expect(await previewForPath(`/s/${ID}`, sources(stream()))).toEqual({
      title: 'Acoustic session · Alice',
      description: 'Alice is live on Wavlake Live. Songs',
      url: `https://live.example/s/${ID}`,
      siteName: 'Wavlake Live',
      image: `https://live.example/hls/${ID}/thumb.jpg`,
      imageAlt: 'Acoustic session, a stream by Alice',
    });
  });

  it('shows the drawn card, not a thumbnail address, for a stream that never had a picture or is only in its preview', async () => {
    for (const never of [stream({ thumbnailAt: null }), stream({ status: 'connected', startedAt: null })]) {
      expect((await previewForPath(`/s/${ID}`, sources(never))).image).toBe(`https://live.example/api/v1/streams/${ID}/cover.png`);
    }
  });

  it('says an ended stream streamed, prefers an audio stream’s cover, and shortens a long description', async () => {
    const ended = await previewForPath(`/s/${ID}`, sources(stream({ status: 'ended', streamType: 'audio', description: 'x'.repeat(400) }), 'https://pics.example/a.jpg'));
    expect(ended.description.startsWith('Alice streamed on Wavlake Live. xxx')).toBe(true);
    expect(Array.from(ended.description)).toHaveLength(200);
    expect(ended.description.endsWith('…')).toBe(true);
    expect(ended.image).toBe('https://pics.example/a.jpg');
  });

  it('gives the generic card, with the service’s picture, to a private stream and to paths that name none of ours', async () => {
    const generic = { title: 'Wavlake Live', description: 'Live streams on Nostr', siteName: 'Wavlake Live', image: 'https://live.example/logo.png', imageAlt: 'Wavlake Live' };
    expect(await previewForPath(`/s/${ID}`, sources(stream({ visibility: 'private' })))).toEqual({ ...generic, url: `https://live.example/s/${ID}` });
    expect(await previewForPath(`/s/${ID}/extra`, sources(stream()))).toMatchObject(generic);
    expect(await previewForPath('/s/not-an-id', sources(stream()))).toMatchObject(generic);
    expect(await previewForPath('/stream/naddr1garbage', sources(stream()))).toMatchObject(generic);
  });
});

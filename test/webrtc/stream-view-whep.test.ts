import { describe, expect, it } from 'vitest';
import { streamView } from '../../src/api/stream-view.js';
import { PlaybackLinks } from '../../src/origin/playback-links.js';
import { PlaybackTokens } from '../../src/origin/playback-token.js';
import type { Stream } from '../../src/streams/stream.js';
import { startWhepServer } from './whep-server.js';

const signing = { eventAuthor: (stream: Stream) => stream.pubkey, status: () => null };
const zaps = { goalProgress: null, zapTotalSats: 0 };
const links = new PlaybackLinks('https://live.example.com', new PlaybackTokens(Buffer.alloc(32, 1)));

describe("StreamView's whep_url", () => {
  it('is the absolute WHEP endpoint under PUBLIC_URL while the stream is live and real-time is on, else null', async () => {
    const on = await startWhepServer({ maxViewers: 3 });
    const off = await startWhepServer({ maxViewers: 0 });
    try {
      const view = (stream: Stream, whepUrl: ((id: string) => string) | undefined) => streamView(stream, undefined, links, undefined, null, signing, zaps, whepUrl).whep_url;
      // The fields a view reads beside the status; the rest stay as the test server's stream has them.
      const stream: Stream = { ...on.stream, quality: '720p', hlsPlaybackUrl: `https://live.example.com/hls/${on.stream.id}/master.m3u8`, nowPlaying: null };
      expect(view(stream, on.whepUrl)).toBe(`https://live.example.com/api/v1/streams/${stream.id}/whep`);
      expect(view({ ...stream, status: 'reconnecting' }, on.whepUrl)).toBe(`https://live.example.com/api/v1/streams/${stream.id}/whep`);
      for (const status of ['created', 'connected', 'ended'] as const) expect(view({ ...stream, status }, on.whepUrl)).toBeNull();
      expect(off.whepUrl).toBeUndefined();
      expect(view(stream, off.whepUrl)).toBeNull();
      // The server's own views (no real-time wired) say null.
      expect(streamView(stream, undefined, links, undefined, null, signing, zaps).whep_url).toBeNull();
    } finally {
      await Promise.all([on.close(), off.close()]);
    }
  });
});

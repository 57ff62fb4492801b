import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { RenditionPlan } from '../../src/media/ladder.js';
import { PlaybackTokens } from '../../src/origin/playback-token.js';
import { MediaFeeds } from '../../src/packager/media-feeds.js';
import type { Stream } from '../../src/streams/stream.js';
import { startRealtime } from '../../src/webrtc/realtime.js';
import type { WhepSessions } from '../../src/webrtc/whep-sessions.js';

/** The ladder of a 360p source: the one rendition is encoded here, so it is the real-time feed. */
export const LADDER: readonly RenditionPlan[] = [
  { name: '360p', video: 'encode', audio: 'encode', width: 640, height: 360, videoKbps: 1000, audioKbps: 128, codecs: 'avc1.4d401f,mp4a.40.2' },
];

/** A page that plays a WHEP URL with the web app's own client (web/src/lib/whep.ts, built here). */
const PAGE = `<!doctype html><meta charset="utf-8"><video muted autoplay playsinline></video>
<script type="module">
  import { startWhep, WhepUnavailable } from '/whep.js';
  window.videoFrames = 0;
  window.play = async (url) => {
    try {
      const playback = await startWhep(url);
      window.playback = playback;
      const video = document.querySelector('video');
      video.srcObject = playback.stream;
      const count = () => { window.videoFrames += 1; video.requestVideoFrameCallback(count); };
      video.requestVideoFrameCallback(count);
      await video.play();
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: error instanceof WhepUnavailable ? error.reason : String(error), message: String(error.message) };
    }
  };
  // The sound's level through Web Audio: the 440 Hz tone decoded, not only a track that exists.
  window.videoState = () => {
    const video = document.querySelector('video');
    const stream = window.playback?.stream;
    let level = 0;
    if (window.analyser) {
      const samples = new Float32Array(window.analyser.fftSize);
      window.analyser.getFloatTimeDomainData(samples);
      level = Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length);
    }
    return {
      width: video.videoWidth,
      height: video.videoHeight,
      time: video.currentTime,
      frames: window.videoFrames,
      audio: stream ? stream.getAudioTracks().map((track) => track.readyState) : [],
      level,
    };
  };
  window.listen = () => {
    const audio = new AudioContext();
    window.analyser = audio.createAnalyser();
    audio.createMediaStreamSource(window.playback.stream).connect(window.analyser);
  };
  window.offer = async () => {
    const peer = new RTCPeerConnection();
    peer.addTransceiver('video', { direction: 'recvonly' });
    peer.addTransceiver('audio', { direction: 'recvonly' });
    await peer.setLocalDescription(await peer.createOffer());
    return peer.localDescription.sdp;
  };
</script>`;

export interface WhepServer {
  readonly http: FastifyInstance;
  readonly base: string;
  readonly feeds: MediaFeeds;
  readonly stream: Stream;
  readonly sessions: WhepSessions | undefined;
  readonly tokens: PlaybackTokens;
  readonly whepUrl: ((streamId: string) => string) | undefined;
  close(): Promise<void>;
}

/**
 * The real-time component on an HTTP server of its own, with one live stream and the page above:
 * what the service's app.ts wires, without the rest of the service.
 */
export async function startWhepServer({ maxViewers, visibility = 'public' }: { maxViewers: number; visibility?: 'public' | 'private' }): Promise<WhepServer> {
  const feeds = new MediaFeeds();
  const tokens = new PlaybackTokens(Buffer.alloc(32, 7));
  // The fields playback access reads; the rest of a stream plays no part in real-time playback.
  const stream = { id: randomUUID(), status: 'live', visibility, record: false } as Stream;
  const realtime = startRealtime({
    feeds,
    findStream: async (id) => (id === stream.id ? stream : undefined),
    tokens,
    ladderOf: (id) => (id === stream.id ? LADDER : undefined),
    maxViewers,
    publicUrl: 'https://live.example.com',
    logger: pino({ level: 'silent' }),
  });
  const http = Fastify({ logger: false });
  realtime.routes?.(http);
  const client = transformSync(readFileSync('web/src/lib/whep.ts', 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' }).code;
  http.get('/page', async (_request, reply) => reply.type('text/html').send(PAGE));
  http.get('/whep.js', async (_request, reply) => reply.type('text/javascript').send(client));
  await http.listen({ port: 0, host: '127.0.0.1' });
  const address = http.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    http,
    base: `http://127.0.0.1:${address.port}`,
    feeds,
    stream,
    sessions: realtime.sessions,
    tokens,
    whepUrl: realtime.whepUrl,
    close: async () => {
      await realtime.close();
      await http.close();
    },
  };
}

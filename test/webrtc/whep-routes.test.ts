import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAudioLadder, planLadder, type SourceInfo } from '../../src/media/ladder.js';
import { realtimeVideoFeed } from '../../src/webrtc/realtime-feeds.js';
import { startWhepServer, type WhepServer } from './whep-server.js';

/** What Chromium offers, cut to one audio line: enough to be parsed, refused only for later reasons. */
const SDP_HEAD = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

describe('WHEP routes', () => {
  let server: WhepServer;
  let off: WhepServer;
  let privateServer: WhepServer;
  const path = (target: WhepServer, id = target.stream.id) => `/api/v1/streams/${id}/whep`;
  const offer = (target: WhepServer, body: string, type = 'application/sdp', query = '') =>
    target.http.inject({ method: 'POST', url: `${path(target)}${query}`, headers: { 'content-type': type }, payload: body });

  beforeAll(async () => {
    server = await startWhepServer({ maxViewers: 2 });
    off = await startWhepServer({ maxViewers: 0 });
    privateServer = await startWhepServer({ maxViewers: 2, visibility: 'private' });
  });
  afterAll(async () => {
    await Promise.all([server?.close(), off?.close(), privateServer?.close()]);
  });

  it('answers the preflight of both paths with CORS and Accept-Post: application/sdp', async () => {
    for (const url of [path(server), `${path(server)}/abc`]) {
      const response = await server.http.inject({ method: 'OPTIONS', url });
      expect(response.statusCode).toBe(204);
      expect(response.headers['accept-post']).toBe('application/sdp');
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(String(response.headers['access-control-allow-methods'])).toContain('POST');
      expect(String(response.headers['access-control-expose-headers'])).toContain('Location');
    }
  });

  it('refuses a body that is not SDP with 415, and an unparsable offer with 400', async () => {
    const json = await offer(server, '{"sdp":"v=0"}', 'application/json');
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ error: 'unsupported_media_type' });
    const text = await offer(server, 'hello', 'application/sdp');
    expect(text.statusCode).toBe(400);
    expect(text.json()).toMatchObject({ error: 'invalid_offer' });
    const noMedia = await offer(server, SDP_HEAD, 'application/sdp');
    expect(noMedia.statusCode).toBe(400);
    expect(server.sessions?.count(server.stream.id)).toBe(0);
  });

  it('answers 404 stream_not_found for an unknown stream, and for a private one without its playback token', async () => {
    const unknown = await server.http.inject({
      method: 'POST',
      url: path(server, '00000000-0000-4000-8000-000000000000'),
      headers: { 'content-type': 'application/sdp' },
      payload: SDP_HEAD,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'stream_not_found' });
    expect((await offer(privateServer, SDP_HEAD)).json()).toMatchObject({ error: 'stream_not_found' });
    const wrongToken = await offer(privateServer, SDP_HEAD, 'application/sdp', '?token=view.zz.nope');
    expect(wrongToken.statusCode).toBe(404);
    // With the origin's token the offer gets through to being read (and refused for having no media).
    const token = privateServer.tokens.issue(privateServer.stream.id, 'view', 3600);
    expect((await offer(privateServer, SDP_HEAD, 'application/sdp', `?token=${token}`)).json()).toMatchObject({ error: 'invalid_offer' });
  });

  it('answers 404 stream_not_live for a stream that is not live', async () => {
    Object.assign(server.stream, { status: 'created' });
    try {
      const response = await offer(server, SDP_HEAD);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: 'stream_not_live' });
    } finally {
      Object.assign(server.stream, { status: 'live' });
    }
  });

  it('answers 503 realtime_off when WHEP_MAX_VIEWERS is 0', async () => {
    const response = await offer(off, SDP_HEAD);
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ error: 'realtime_off' });
  });

  it('answers 503 realtime_unavailable while no media of the stream is cut on this server (its ffmpeg runs elsewhere, or not yet)', async () => {
    const response = await offer(server, `${SDP_HEAD}m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n`);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toMatchObject({ error: 'realtime_unavailable' });
  });

  it('answers DELETE of an unknown session with 404 JSON', async () => {
    const response = await server.http.inject({ method: 'DELETE', url: `${path(server)}/nothing-here` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'session_not_found' });
  });
});

describe('realtimeVideoFeed', () => {
  const source: SourceInfo = {
    videoCodec: 'h264', audioCodec: 'aac', width: 1920, height: 1080, fps: 30, audioSampleRate: 48_000, audioProfile: 'LC',
    audioKbps: 128, avcCodecs: 'avc1.64002a', bitrateKbps: 4500, keyframeIntervalSeconds: 2, hasAudio: true,
  };

  it('picks the highest rendition encoded here, never the copied source (it may have B-frames)', () => {
    const plans = planLadder(source, '720p');
    expect(plans[0]).toMatchObject({ name: 'source', video: 'copy' });
    expect(realtimeVideoFeed(plans)).toBe('720p');
    expect(realtimeVideoFeed(planLadder(source, '360p'))).toBe('360p');
  });

  it('has no picture for a sound-only ladder', () => {
    expect(realtimeVideoFeed(planAudioLadder({ ...source, videoCodec: null, width: null, height: null, fps: null, avcCodecs: null }))).toBeUndefined();
  });
});

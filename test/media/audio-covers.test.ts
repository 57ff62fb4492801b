import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestHealth, StreamView } from '../../src/protocol/api-views.js';
import { TestUser } from '../../testkit/nostr.js';
import { pushTestPattern, pushTone, type PublisherProcess } from '../../testkit/publishers.js';
import { liveEventAt, queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually, ingestUrl, probe, statusOf } from '../../testkit/streams.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MISMATCH = /sending sound only.*switch this stream to an audio stream/;

/**
 * Audio streams show a cover, never a black frame: the streamer's upload, else their kind 0
 * picture from the built-in relay, else a card the service draws with ffmpeg. And an encoder
 * sending sound only is an audio stream to the dashboard, not a missing camera.
 */
describe('audio streams: cover art and ingest health', () => {
  let server: TestServer;
  let relayUrl: string;
  const publishers: PublisherProcess[] = [];

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    relayUrl = server.url.replace(/^http/, 'ws');
  });
  afterEach(() => {
    for (const publisher of publishers.splice(0)) publisher.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await server?.destroy();
  });

  const view = async (id: string, user?: TestUser) => (await server.call<StreamView>('GET', `/api/v1/streams/${id}/status`, { as: user })).body;
  const liveEvent = (id: string, image: string) =>
    eventually(`the 30311 with image ${image}`, async () => {
      const event = await liveEventAt(relayUrl, id);
      return event?.image === image ? event : undefined;
    });

  async function publishProfile(user: TestUser, metadata: object): Promise<void> {
    const relay = await Relay.connect(relayUrl);
    try {
      await relay.publish(user.sign({ kind: 0, content: JSON.stringify(metadata) }));
      expect(await queryRelay(relay, [{ kinds: [0], authors: [user.pubkey] }])).toHaveLength(1);
    } finally {
      relay.close();
    }
  }

  it('shows the streamer\'s upload as an audio stream\'s thumbnail and in its 30311 image and thumbnail', async () => {
    const dj = new TestUser();
    await publishProfile(dj, { name: 'DJ', picture: 'https://example.com/profile.jpg' });
    const upload = 'https://example.com/album-cover.jpg';
    const { stream_id: id } = await createStream(server, dj, { stream_type: 'audio', image: upload });
    expect(await view(id)).toMatchObject({ stream_type: 'audio', image_url: upload, thumbnail_url: upload });
    const event = await liveEvent(id, upload);
    expect(event.thumbnail).toBe(upload);
  });

  it('falls back to the streamer\'s kind 0 picture when there is no upload', async () => {
    const singer = new TestUser();
    const picture = 'https://example.com/singer.png';
    await publishProfile(singer, { display_name: 'Singer', picture });
    const { stream_id: id } = await createStream(server, singer, { stream_type: 'audio' });
    expect(await view(id)).toMatchObject({ image_url: null, thumbnail_url: picture });
    expect((await liveEvent(id, picture)).thumbnail).toBe(picture);
  });

  it('draws a 1280x720 PNG card with the title when there is neither, and serves it with a CDN-friendly cache', { timeout: 30_000 }, async () => {
    const podcaster = new TestUser();
    // A picture that is not an http(s) URL is no picture.
    await publishProfile(podcaster, { name: 'Pod', picture: 'javascript:alert(1)' });
    const title = `It's 100% "live": C:\\music\\ [mix, vol; 2] %{pts} \u{1F3B5}\u{1F525} late-night ${'x'.repeat(30)}`;
    const { stream_id: id } = await createStream(server, podcaster, { stream_type: 'audio', title });
    const card = `${server.url}/api/v1/streams/${id}/cover.png`;
    expect((await view(id)).thumbnail_url).toBe(card);
    expect((await liveEvent(id, card)).thumbnail).toBe(card);

    const response = await fetch(card);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+/);
    const png = Buffer.from(await response.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const file = path.join(server.dataDir, 'probe-card.png');
    writeFileSync(file, png);
    const { streams } = await probe(file);
    expect(streams.map((s) => `${s.codec_name}:${s.width}x${s.height}`)).toEqual(['png:1280x720']);

    // Made once: the second answer is the same file, and a cache holding it revalidates with its ETag.
    const etag = response.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await fetch(card);
    expect(Buffer.from(await again.arrayBuffer())).toEqual(png);
    expect((await fetch(card, { headers: { 'if-none-match': etag } })).status).toBe(304);

    // A new title is a new card.
    expect((await server.call('PATCH', `/api/v1/streams/${id}`, { as: podcaster, json: { title: 'Another show' } })).status).toBe(200);
    const retitled = await fetch(card);
    expect(retitled.headers.get('etag')).not.toBe(etag);
    expect(Buffer.from(await retitled.arrayBuffer()).subarray(0, 8)).toEqual(PNG_SIGNATURE);
  });

  it('answers 404 JSON for an unknown stream\'s card, and for a private stream\'s card to all but its owner and link holders', async () => {
    const unknown = await fetch(`${server.url}/api/v1/streams/00000000-0000-4000-8000-000000000000/cover.png`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'stream_not_found' });

    const owner = new TestUser();
    const { stream_id: id } = await createStream(server, owner, { stream_type: 'audio', visibility: 'private' });
    const path = `/api/v1/streams/${id}/cover.png`;
    const stranger = await server.call('GET', path, { as: new TestUser() });
    expect(stranger.status).toBe(404);
    expect(stranger.body).toMatchObject({ error: 'stream_not_found' });
    expect((await server.call('GET', path)).status).toBe(404);

    const mine = await server.call('GET', path, { as: owner });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('cache-control')).toMatch(/^private/);
    const shareUrl = (await view(id, owner)).share_url ?? '';
    const token = new URL(shareUrl).searchParams.get('token');
    expect(token).toBeTruthy();
    expect((await fetch(`${server.url}${path}?token=${token}`)).status).toBe(200);
  });

  it('keeps a video stream\'s thumbnail its live picture', async () => {
    const streamer = new TestUser();
    await publishProfile(streamer, { name: 'Cam', picture: 'https://example.com/cam.jpg' });
    const { stream_id: id } = await createStream(server, streamer, { stream_type: 'video' });
    expect((await view(id)).thumbnail_url).toBeNull();
  });

  it('tells an encoder sending sound only apart from a missing camera, and says when the stream type does not match', { timeout: 60_000 }, async () => {
    const musician = new TestUser();
    const stream = await createStream(server, musician, { stream_type: 'video', record: false });
    publishers.push(pushTone(ingestUrl(server, stream.stream_key), { seconds: 30 }));
    const health = await eventually('the pipeline to find sound only', async () => {
      const ingest = (await statusOf(server, musician, stream.stream_id)).ingest as IngestHealth | null | undefined;
      return ingest?.sending === 'audio' && ingest.bitrate_kbps !== null ? ingest : undefined;
    });
    expect(health.video).toBeNull();
    expect(health.warnings).not.toContainEqual(expect.stringMatching(/No video is arriving/));
    expect(health.warnings).not.toContainEqual(expect.stringMatching(/Bitrate is only/));
    expect(health.warnings).toContainEqual(expect.stringMatching(MISMATCH));

    // Switched to an audio stream, as the note says: nothing left to warn about.
    expect((await server.call('PATCH', `/api/v1/streams/${stream.stream_id}`, { as: musician, json: { stream_type: 'audio' } })).status).toBe(200);
    const switched = (await statusOf(server, musician, stream.stream_id)).ingest as IngestHealth;
    expect(switched.sending).toBe('audio');
    expect(switched.warnings).toEqual([]);
  });

  it('says sending "video" for a camera, with the converse note on an audio stream', { timeout: 60_000 }, async () => {
    const streamer = new TestUser();
    const stream = await createStream(server, streamer, { stream_type: 'audio', record: false });
    publishers.push(pushTestPattern(ingestUrl(server, stream.stream_key), { seconds: 30 }));
    const health = await eventually('the pipeline to find a picture', async () => {
      const ingest = (await statusOf(server, streamer, stream.stream_id)).ingest as IngestHealth | null | undefined;
      return ingest?.sending === 'video' && (ingest.video?.frames ?? 0) > 0 ? ingest : undefined;
    });
    expect(health.warnings).toContainEqual(expect.stringMatching(/sending a picture.*switch this stream to a video stream/));
    expect(health.warnings).not.toContainEqual(expect.stringMatching(/No video is arriving/));
  });
});

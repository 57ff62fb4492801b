import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestUser } from '../../testkit/nostr.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually, ingestUrl, statusOf } from '../../testkit/streams.js';

/**
 * Going live is instant: the encoder's media is packaged from the moment it connects (the owner's
 * preview), so pressing Start only opens the door — the public multivariant and media playlists
 * answer at once, with the parts already written.
 */
describe('instant start', () => {
  let server: TestServer;
  const alice = new TestUser();
  const publishers: ReturnType<typeof pushTestPattern>[] = [];

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterEach(() => {
    for (const publisher of publishers.splice(0)) publisher.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await server?.destroy();
  });

  async function playableAt(url: string, since: number): Promise<number> {
    return eventually(`${url} to be playable`, async () => {
      const response = await fetch(url);
      const text = response.status === 200 ? await response.text() : '';
      return text.includes('#EXT-X-STREAM-INF') || text.includes('#EXT-X-PART:') ? performance.now() - since : undefined;
    }, 20_000, 25);
  }

  it('serves the public playlists within 1 s of Start once the preview plays, and within seconds of the encoder connecting', { timeout: 60_000 }, async () => {
    const stream = await createStream(server, alice, { quality: '360p', record: false });
    const connectedAt = performance.now();
    publishers.push(pushTestPattern(ingestUrl(server, stream.stream_key), { seconds: 30, size: '640x360' }));
    const connected = await eventually('connected', async () => {
      const status = await statusOf(server, alice, stream.stream_id);
      return status.status === 'connected' ? status : undefined;
    }, 20_000, 25);
    const statusMs = performance.now() - connectedAt;
    const previewMs = await playableAt(connected.preview_url ?? '', connectedAt);

    const master = `${server.url}/hls/${stream.stream_id}/master.m3u8`;
    expect((await fetch(master)).status).toBe(404);
    const startedAt = performance.now();
    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice })).status).toBe(200);
    const masterMs = await playableAt(master, startedAt);
    const media = `${server.url}/hls/${stream.stream_id}/360p/index.m3u8`;
    const mediaMs = await playableAt(media, startedAt);
    console.log(`instant start: encoder connected ${Math.round(statusMs)} ms after the push began, preview ${Math.round(previewMs)} ms after the push began; public master ${Math.round(masterMs)} ms and media playlist ${Math.round(mediaMs)} ms after Start`);
    expect(masterMs).toBeLessThan(1000);
    expect(mediaMs).toBeLessThan(1000);
    // From the push: connecting, two keyframes 2 s apart (the second decides whether the source can be
    // copied), then ffmpeg starts from that keyframe and the first part follows within half a second.
    expect(previewMs).toBeLessThan(4000);
  });
});

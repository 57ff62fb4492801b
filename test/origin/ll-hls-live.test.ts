import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mediaPlaylistState } from '../../src/origin/blocking-reload.js';
import { TestUser } from '../../testkit/nostr.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually, ingestUrl, statusOf } from '../../testkit/streams.js';

/**
 * LL-HLS as a player meets it on a real stream: going live is instant (the encoder's media is
 * packaged from the moment it connects, for the owner's preview, so Start only opens the door), a
 * blocking reload for the next part is answered when that part is written, and the hinted part is
 * served the moment it exists.
 */
describe('LL-HLS on a live stream', () => {
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
    // copied), then ffmpeg starts from that keyframe and the first part follows within half a second
    // (2.4 s on an idle machine; the bound leaves room for a loaded one).
    expect(previewMs).toBeLessThan(6000);
  });
  it('holds a blocking reload until the next part, then serves it and the hinted part', { timeout: 60_000 }, async () => {
    const stream = await createStream(server, alice, { quality: '360p', record: false });
    publishers.push(pushTestPattern(ingestUrl(server, stream.stream_key), { seconds: 30, size: '640x360' }));
    await eventually('connected', async () => ((await statusOf(server, alice, stream.stream_id)).status === 'connected' ? true : undefined));
    expect((await server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice })).status).toBe(200);
    const media = `${server.url}/hls/${stream.stream_id}/360p/index.m3u8`;
    const first = await eventually('a segment', async () => {
      const text = await (await fetch(media)).text();
      return text.includes('#EXTINF') ? text : undefined;
    });

    const state = mediaPlaylistState(first);
    const nextPart = { msn: state.openMsn, part: state.openParts };
    const asked = performance.now();
    const held = await fetch(`${media}?_HLS_msn=${nextPart.msn}&_HLS_part=${nextPart.part}`);
    const heldMs = performance.now() - asked;
    expect(held.status).toBe(200);
    expect(held.headers.get('cache-control')).toBe('public, max-age=6');
    const after = mediaPlaylistState(await held.text());
    expect(after.openMsn > nextPart.msn || after.openParts > nextPart.part).toBe(true);
    // Answered when the part appeared: within a part target or so, not at the hold limit (6 s).
    expect(heldMs).toBeLessThan(1500);

    // The hinted part does not exist yet; asked for, it is served as soon as it is written.
    const hint = mediaPlaylistState(await (await fetch(media)).text()).preloadHint ?? '';
    expect(hint).toMatch(/^part_\d+_\d+\.m4s$/);
    const part = await fetch(`${server.url}/hls/${stream.stream_id}/360p/${hint}`);
    expect(part.status).toBe(200);
    expect(part.headers.get('cache-control')).toContain('immutable');
    const bytes = Buffer.from(await part.arrayBuffer());
    expect(bytes.subarray(4, 8).toString()).toBe('moof');

    // Further ahead than the spec allows is refused at once.
    const tooFar = await fetch(`${media}?_HLS_msn=${after.openMsn + 3}`);
    expect(tooFar.status).toBe(400);
    expect(((await tooFar.json()) as { error: string }).error).toBe('msn_too_far_ahead');
  });
});

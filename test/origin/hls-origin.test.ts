import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestUser } from '../../testkit/nostr.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

interface Created {
  stream_id: string;
  stream_key: string;
}

const settings = { title: 'Origin test', category: 'music', quality: '720p', record: true };
const MASTER = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720\n720p/index.m3u8\n';
const MEDIA = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000,\nseg_00001.ts\n';

/**
 * The HLS origin over real HTTP, with playlist and segment files laid out the way the
 * transcoder writes them: who may fetch what, and the headers players and caches rely on.
 */
describe('HLS origin', () => {
  let server: TestServer;
  const alice = new TestUser();

  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await server.destroy();
  });

  async function create(extra: object = {}): Promise<Created> {
    const { status, body } = await server.call<Created>('POST', '/api/v1/streams/create', {
      as: alice,
      json: { ...settings, ...extra },
    });
    expect(status).toBe(201);
    const folder = path.join(server.dataDir, 'hls', body.stream_id);
    mkdirSync(path.join(folder, '720p'), { recursive: true });
    writeFileSync(path.join(folder, 'master.m3u8'), MASTER);
    writeFileSync(path.join(folder, '720p', 'index.m3u8'), MEDIA);
    writeFileSync(path.join(folder, '720p', 'seg_00001.ts'), Buffer.alloc(188 * 10, 0x47));
    writeFileSync(path.join(folder, 'thumb.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    return body;
  }

  async function goLive(created: Created) {
    const connected = await server.call('POST', '/api/v1/streams/auth', {
      json: { name: created.stream_key, call: 'publish' },
    });
    expect(connected.status).toBe(200);
    expect((await server.call('POST', `/api/v1/streams/${created.stream_id}/start`, { as: alice })).status).toBe(200);
  }

  async function previewUrl(streamId: string): Promise<string> {
    const { body } = await server.call<{ preview_url: string }>('GET', `/api/v1/streams/${streamId}/status`, { as: alice });
    expect(body.preview_url).toMatch(/\?token=/);
    return body.preview_url;
  }

  it('serves nothing of a stream that has not started, except to its owner through the preview link', async () => {
    const created = await create();
    const anonymous = await fetch(`${server.url}/hls/${created.stream_id}/master.m3u8`);
    expect(anonymous.status).toBe(404);
    expect(await anonymous.json()).toMatchObject({ error: 'stream_not_live', message: expect.any(String) });

    // The status endpoint never hands the preview link to anyone else.
    const { body: publicStatus } = await server.call<object>('GET', `/api/v1/streams/${created.stream_id}/status`);
    expect(publicStatus).not.toHaveProperty('preview_url');

    await server.call('POST', '/api/v1/streams/auth', { json: { name: created.stream_key, call: 'publish' } });
    const preview = await fetch(await previewUrl(created.stream_id));
    expect(preview.status).toBe(200);
    const token = new URL(await previewUrl(created.stream_id)).searchParams.get('token') ?? '';
    const master = await (await fetch(`${server.url}/hls/${created.stream_id}/master.m3u8?token=${encodeURIComponent(token)}`)).text();
    // The token is carried into the playlist, so the player's next requests are let in too.
    expect(master).toContain(`720p/index.m3u8?token=${encodeURIComponent(token)}`);
    const media = await fetch(`${server.url}/hls/${created.stream_id}/720p/index.m3u8?token=${encodeURIComponent(token)}`);
    expect(await media.text()).toContain(`seg_00001.ts?token=`);

    const other = await create();
    const borrowed = await fetch(`${server.url}/hls/${other.stream_id}/master.m3u8?token=${encodeURIComponent(token)}`);
    expect(borrowed.status).toBe(404);
    const forged = await fetch(`${server.url}/hls/${created.stream_id}/master.m3u8?token=preview.zzzzzz.forged`);
    expect(forged.status).toBe(404);
  });

  it('serves a live stream with the content types, cache headers and CORS players expect', async () => {
    const created = await create();
    await goLive(created);
    const base = `${server.url}/hls/${created.stream_id}`;

    const master = await fetch(`${base}/master.m3u8`, { headers: { Origin: 'https://player.example' } });
    expect(master.status).toBe(200);
    expect(master.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(master.headers.get('cache-control')).toBe('private, max-age=2');
    expect(master.headers.get('access-control-allow-origin')).toBe('*');
    // Each player gets its own session id in the rendition URLs: that is how viewers are counted.
    const sid = /720p\/index\.m3u8\?sid=([A-Za-z0-9_-]+)/.exec(await master.text())?.[1];
    expect(sid).toBeDefined();

    const media = await fetch(`${base}/720p/index.m3u8?sid=${sid}`);
    expect(media.headers.get('cache-control')).toBe('public, max-age=1, stale-while-revalidate=0');
    expect(await media.text()).toContain(`seg_00001.ts?sid=${sid}`);

    const segment = await fetch(`${base}/720p/seg_00001.ts`);
    expect(segment.status).toBe(200);
    expect(segment.headers.get('content-type')).toBe('video/mp2t');
    expect(segment.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await segment.arrayBuffer()).byteLength).toBe(1880);

    const thumbnail = await fetch(`${base}/thumb.jpg`);
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');

    const preflight = await fetch(`${base}/master.m3u8`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://player.example', 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');

    const gone = await fetch(`${base}/720p/seg_00000.ts`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: 'file_not_found' });
  });

  it('counts playback sessions, not requests or rendition switches', async () => {
    const created = await create();
    await goLive(created);
    const base = `${server.url}/hls/${created.stream_id}`;
    for (const player of ['one', 'two']) {
      const master = await (await fetch(`${base}/master.m3u8`, { headers: { 'User-Agent': player } })).text();
      const sid = /\?sid=([A-Za-z0-9_-]+)/.exec(master)?.[1];
      for (let i = 0; i < 5; i += 1) {
        await fetch(`${base}/720p/index.m3u8?sid=${sid}`);
        await fetch(`${base}/720p/seg_00001.ts?sid=${sid}`);
      }
    }
    let counts = { current_viewers: 0, total_viewers: 0, max_viewers: 0 };
    for (let waited = 0; counts.current_viewers < 2 && waited < 5000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      counts = (await server.call<typeof counts>('GET', `/api/v1/streams/${created.stream_id}/status`)).body;
    }
    expect(counts).toMatchObject({ current_viewers: 2, total_viewers: 2, max_viewers: 2 });
  });

  it('answers an unknown stream, traversal and odd names with a JSON 404 and never leaks a file', async () => {
    const created = await create();
    await goLive(created);
    const unknown = await fetch(`${server.url}/hls/00000000-0000-4000-8000-000000000000/master.m3u8`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'stream_not_found' });

    for (const attempt of [
      `/hls/${created.stream_id}/..%2F..%2Fservice-key.hex`,
      `/hls/${created.stream_id}/%2e%2e/%2e%2e/service-key.hex`,
      `/hls/${created.stream_id}/720p/..%2F..%2F..%2Fwavlake-live.sqlite`,
      `/hls/..%2F${created.stream_id}/master.m3u8`,
      `/hls/${created.stream_id}/a/b/c.ts`,
      `/hls/${created.stream_id}/master.m3u8.exe`,
      `/hls/${created.stream_id}/.hidden.m3u8`,
      `/vod/${created.stream_id}/%00.m3u8`,
    ]) {
      const response = await fetch(`${server.url}${attempt}`);
      expect(response.status, attempt).toBe(404);
      const body = await response.text();
      expect(JSON.parse(body), attempt).toHaveProperty('error');
      expect(body).not.toMatch(/[0-9a-f]{64}/);
    }
  });

  it('hides a private stream from anyone without a token', async () => {
    const created = await create({ visibility: 'private' });
    await goLive(created);
    const anonymous = await fetch(`${server.url}/hls/${created.stream_id}/master.m3u8`);
    expect(anonymous.status).toBe(404);
    expect(await anonymous.json()).toMatchObject({ error: 'stream_not_found' });
    expect((await fetch(await previewUrl(created.stream_id))).status).toBe(200);

    // The owner shares a link whose viewer token opens the playlists and segments, and only this stream's.
    const { body } = await server.call<{ share_url: string }>('GET', `/api/v1/streams/${created.stream_id}/status`, { as: alice });
    const token = new URL(body.share_url).searchParams.get('token') ?? '';
    expect(body.share_url).toContain(`/s/${created.stream_id}?token=`);
    const shared = await fetch(`${server.url}/hls/${created.stream_id}/master.m3u8?token=${encodeURIComponent(token)}`);
    expect(shared.status).toBe(200);
    const rendition = /\n(720p\/index\.m3u8\?[^\n]+)/.exec(await shared.text())?.[1];
    expect(rendition).toContain('token=');
    const media = await fetch(`${server.url}/hls/${created.stream_id}/${rendition}`);
    expect(media.status).toBe(200);
    const segment = /\n(seg_00001\.ts\?[^\n]+)/.exec(await media.text())?.[1];
    expect((await fetch(`${server.url}/hls/${created.stream_id}/720p/${segment}`)).status).toBe(200);
    expect((await fetch(`${server.url}/hls/${created.stream_id}/720p/seg_00001.ts`)).status).toBe(404);
    // The shared link also opens the stream's details for the page around the player.
    const details = await server.call<{ title: string }>('GET', `/api/v1/streams/${created.stream_id}/status?token=${encodeURIComponent(token)}`);
    expect(details.status).toBe(200);
    expect(details.body.title).toBe('Origin test');
    expect((await server.call('GET', `/api/v1/streams/${created.stream_id}/status?token=forged`)).status).toBe(404);
  });

  it('ends the live playlists of an ended stream with EXT-X-ENDLIST, keeps the thumbnail, and serves the recording', async () => {
    const recorded = await create();
    const unrecorded = await create({ record: false });
    for (const created of [recorded, unrecorded]) {
      await goLive(created);
      expect((await server.call('POST', `/api/v1/streams/${created.stream_id}/stop`, { as: alice })).status).toBe(200);
    }
    const vodFolder = path.join(server.dataDir, 'vod', recorded.stream_id);
    mkdirSync(vodFolder, { recursive: true });
    writeFileSync(path.join(vodFolder, 'index.m3u8'), `${MEDIA}#EXT-X-ENDLIST\n`);

    // A player at the live edge reloads the playlist it had: it now ends, and what it lists still plays.
    const base = `${server.url}/hls/${recorded.stream_id}`;
    expect((await fetch(`${base}/master.m3u8`)).status).toBe(200);
    const media = await fetch(`${base}/720p/index.m3u8`);
    expect(media.status).toBe(200);
    const final = await media.text();
    expect(final.trimEnd().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(final).toContain('seg_00001.ts');
    expect((await fetch(`${base}/720p/seg_00001.ts`)).status).toBe(200);
    expect((await fetch(`${base}/thumb.jpg`)).status).toBe(200);

    // Once the live window is cleared, the answer says where the recording is.
    rmSync(path.join(server.dataDir, 'hls', recorded.stream_id, '720p'), { recursive: true });
    const live = await fetch(`${base}/720p/index.m3u8`);
    expect(live.status).toBe(404);
    expect(await live.json()).toMatchObject({ error: 'stream_ended', message: expect.stringContaining('/vod/') });

    const vod = await fetch(`${server.url}/vod/${recorded.stream_id}/index.m3u8`);
    expect(vod.status).toBe(200);
    expect(vod.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(await vod.text()).toContain('#EXT-X-ENDLIST');

    const none = await fetch(`${server.url}/vod/${unrecorded.stream_id}/index.m3u8`);
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ error: 'recording_not_available', message: 'This stream was not recorded.' });
  });

  it("skips the web app's security headers on media, and keeps them on pages and the API", async () => {
    const created = await create();
    await goLive(created);
    for (const url of [`${server.url}/hls/${created.stream_id}/master.m3u8`, `${server.url}/hls/${created.stream_id}/720p/seg_00001.ts`, `${server.url}/vod/${created.stream_id}/index.m3u8`]) {
      const media = await fetch(url);
      expect(media.headers.get('content-security-policy')).toBeNull();
      expect(media.headers.get('x-frame-options')).toBeNull();
      expect(media.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    }
    const page = await fetch(`${server.url}/`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const api = await fetch(`${server.url}/api/v1/streams/${created.stream_id}`);
    expect(api.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('never serves an empty or cut-off playlist: the last whole one, or 503 with Retry-After', async () => {
    const created = await create();
    await goLive(created);
    const file = path.join(server.dataDir, 'hls', created.stream_id, '720p', 'index.m3u8');
    const url = `${server.url}/hls/${created.stream_id}/720p/index.m3u8`;
    expect(await (await fetch(url)).text()).toContain('seg_00001.ts');

    // What ffmpeg leaves when the disk is full: it renames the file it could not finish writing.
    for (const broken of ['', '#EXTM3U\n#EXT-X-TARGETDURATION:2\n', `${MEDIA}#EXTINF:2.000,\nseg_000`]) {
      writeFileSync(file, broken);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('seg_00001.ts');
    }

    const fresh = await create();
    await goLive(fresh);
    writeFileSync(path.join(server.dataDir, 'hls', fresh.stream_id, '720p', 'index.m3u8'), '');
    const nothingWhole = await fetch(`${server.url}/hls/${fresh.stream_id}/720p/index.m3u8`);
    expect(nothingWhole.status).toBe(503);
    expect(nothingWhole.headers.get('retry-after')).toBe('1');
    expect(await nothingWhole.json()).toMatchObject({ error: 'playlist_unavailable', message: expect.any(String) });
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestUser } from '../../testkit/nostr.js';
import { createScratchDatabase } from '../../testkit/postgres.js';
import { pushTestPattern, type PublisherProcess } from '../../testkit/publishers.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually, goLiveWithTestPattern, ingestUrl, statusOf, transcodersFor, type Created } from '../../testkit/streams.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Counts {
  status: string;
  current_viewers: number;
  total_viewers: number;
}

type FeedMessage = { type: string } & Record<string, unknown>;

/** The last media sequence number a media playlist lists. */
function lastMsn(playlist: string): number {
  const first = Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)/m.exec(playlist)?.[1] ?? Number.NaN);
  return first + (playlist.match(/^#EXTINF:/gm)?.length ?? 0) - 1;
}

const segmentsOf = (playlist: string) => playlist.split('\n').filter((line) => line !== '' && !line.startsWith('#'));

/**
 * Any node serves any stream: two nodes on one PostgreSQL and one Redis, the encoder on node A,
 * a viewer (and the edge in front) reaching node B. B answers from A (the origin proxy), counts
 * nothing itself (A counts the viewer once, wherever its requests land), shows A's encoder
 * health and status changes on its feed, keeps A's stream alone when it restarts, and takes the
 * stream over when the encoder reconnects to it, continuing the same playlists.
 */
describe('any node serves any stream', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let nodeA: TestServer;
  let nodeB: TestServer;
  let stream: Created;
  const host = new TestUser();
  const publishers: PublisherProcess[] = [];
  /** The ladder's one rendition (the 360p test pattern is below the 480p step). */
  let rendition = '';

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    // Each node believes the other's X-Forwarded-For (they are both on loopback here).
    const env = { DATABASE_URL: scratch.url, REDIS_URL, TRUST_PROXY: 'loopback' };
    nodeA = await startTestServer('sqlite', { env });
    nodeB = await startTestServer('sqlite', { env });
    stream = await createStream(nodeA, host, { quality: '480p', record: false });
    publishers.push(await goLiveWithTestPattern(nodeA, host, stream, { seconds: 180, size: '640x360' }));
    const master = await eventually('the live playlists on node A', async () => {
      const response = await fetch(`${nodeA.url}/hls/${stream.stream_id}/master.m3u8`, { method: 'HEAD' });
      return response.ok ? true : undefined;
    }, 60_000);
    expect(master).toBe(true);
    const text = await (await fetch(`${nodeA.url}/hls/${stream.stream_id}/master.m3u8`, { headers: { 'x-wavlake-handover': '1' } })).text();
    rendition = segmentsOf(text)[0]?.split('/')[0] ?? '';
    await eventually('a first segment on node A', async () => (segmentsOf(await (await fetch(`${nodeA.url}/hls/${stream.stream_id}/${rendition}/index.m3u8`, { headers: { 'x-wavlake-handover': '1' } })).text()).length > 0 ? true : undefined), 30_000);
  }, 90_000);
  afterAll(async () => {
    for (const publisher of publishers) publisher.child.kill('SIGKILL');
    await nodeA?.destroy();
    await nodeB?.destroy();
    await scratch?.drop();
  });

  const hls = (node: TestServer, file: string, sid: string) => fetch(`${node.url}/hls/${stream.stream_id}/${file}?sid=${sid}`);
  const counts = async (node: TestServer) => (await node.call<Counts>('GET', `/api/v1/streams/${stream.stream_id}/status`)).body;
  let sid = '';

  it('serves the stream through node B: the playlists, and segments byte for byte as node A has them', { timeout: 30_000 }, async () => {
    const master = await fetch(`${nodeB.url}/hls/${stream.stream_id}/master.m3u8`);
    expect(master.status).toBe(200);
    expect(master.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    // The session starts on the holder and its cookie comes through B.
    expect(master.headers.get('set-cookie')).toMatch(/^wl_sid=/);
    const text = await master.text();
    sid = /[?&]sid=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';
    expect(sid).not.toBe('');
    expect(text).toContain(`${rendition}/index.m3u8?sid=${sid}`);

    const media = await hls(nodeB, `${rendition}/index.m3u8`, sid);
    expect(media.status).toBe(200);
    expect(media.headers.get('cache-control')).toMatch(/max-age=1/);
    const segment = segmentsOf(await media.text())[0]?.split('?')[0];
    expect(segment).toMatch(/\.m4s$/);
    const throughB = await hls(nodeB, `${rendition}/${segment}`, sid);
    expect(throughB.status).toBe(200);
    expect(throughB.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const fromA = await hls(nodeA, `${rendition}/${segment}`, sid);
    expect(Buffer.from(await throughB.arrayBuffer()).equals(Buffer.from(await fromA.arrayBuffer()))).toBe(true);

    // A blocking reload passes through and is held by the holder until the next segment.
    const next = lastMsn(await (await hls(nodeA, `${rendition}/index.m3u8`, sid)).text()) + 1;
    const blocked = await fetch(`${nodeB.url}/hls/${stream.stream_id}/${rendition}/index.m3u8?_HLS_msn=${next}&sid=${sid}`);
    expect(blocked.status).toBe(200);
    expect(lastMsn(await blocked.text())).toBeGreaterThanOrEqual(next);
  });

  it('counts the viewer once, whichever node its requests reach, and both nodes show the count', { timeout: 30_000 }, async () => {
    for (const node of [nodeA, nodeB, nodeA]) expect((await hls(node, `${rendition}/index.m3u8`, sid)).status).toBe(200);
    for (const node of [nodeA, nodeB]) {
      await eventually('the one viewer', async () => ((await counts(node)).current_viewers === 1 ? true : undefined), 15_000);
    }
    expect(await counts(nodeB)).toMatchObject({ current_viewers: 1, total_viewers: 1 });
  });

  it("shows node A's encoder health and status changes on node B's real-time feed", { timeout: 30_000 }, async () => {
    const messages: FeedMessage[] = [];
    const socket = new WebSocket(`${nodeB.url.replace('http://', 'ws://')}/api/v1/streams/${stream.stream_id}/ws`);
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as FeedMessage));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    try {
      const health = await eventually('ingest health from node A', async () => messages.find((message) => message.type === 'health'), 10_000);
      expect(health.ingest).toMatchObject({ sending: 'video', video: { codec: 'h264', width: 640, height: 360 } });
      // The status API on B shows the same figures.
      expect((await statusOf(nodeB, host, stream.stream_id)).ingest?.video).toMatchObject({ codec: 'h264', width: 640, height: 360 });
      // Paused on node A: B's listeners see it.
      expect((await nodeA.call('POST', `/api/v1/streams/${stream.stream_id}/pause`, { as: host })).status).toBe(200);
      await eventually('the pause on node B', async () => (messages.some((message) => message.type === 'status' && message.paused === true) ? true : undefined), 10_000);
      expect((await nodeA.call('POST', `/api/v1/streams/${stream.stream_id}/resume`, { as: host })).status).toBe(200);
      await eventually('the resume on node B', async () => (messages.filter((message) => message.type === 'status').at(-1)?.paused === false ? true : undefined), 10_000);
    } finally {
      socket.close();
    }
  });

  it("leaves node A's stream live when node B restarts, and B serves it again", { timeout: 60_000 }, async () => {
    nodeB = await nodeB.restart();
    expect((await counts(nodeA)).status).toBe('live');
    expect((await counts(nodeB)).status).toBe('live');
    expect((await hls(nodeB, `${rendition}/index.m3u8`, sid)).status).toBe(200);
  });

  it('keeps the stream live and its playlists going on both nodes when the encoder moves to node B', { timeout: 120_000 }, async () => {
    const before = await (await hls(nodeB, `${rendition}/index.m3u8`, sid)).text();
    const [first] = publishers;
    first?.child.kill('SIGKILL');
    await eventually('node A to see the encoder go', async () => ((await counts(nodeA)).status === 'reconnecting' ? true : undefined), 20_000);
    publishers.push(pushTestPattern(ingestUrl(nodeB, stream.stream_key), { seconds: 120, size: '640x360' }));
    await eventually('the stream live again', async () => ((await counts(nodeB)).status === 'live' ? true : undefined), 30_000);

    // Node B holds the stream now (its record in Redis names it) and A's transcoder for it is gone.
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    try {
      await eventually('node B as the holder', async () => {
        const record = await redis.get(`wavlake-live:holder:${stream.stream_id}`);
        return record !== null && (JSON.parse(record) as { url: string }).url === nodeB.url ? true : undefined;
      }, 30_000);
    } finally {
      await redis.quit();
    }
    await eventually("node A's transcoder to stop", async () => (transcodersFor(path.join(nodeA.dataDir, 'hls', stream.stream_id)).length === 0 ? true : undefined), 20_000);

    // B's packager continued the window it copied from A: the same sequence on, then its own
    // segments (a new init file, after a discontinuity) past the last one A wrote.
    const onA = await readFile(path.join(nodeA.dataDir, 'hls', stream.stream_id, rendition, 'index.m3u8'), 'utf8');
    const onB = path.join(nodeB.dataDir, 'hls', stream.stream_id, rendition, 'index.m3u8');
    const lastMap = (text: string) => [...text.matchAll(/#EXT-X-MAP:URI="([^"]+)"/g)].at(-1)?.[1];
    const after = await eventually("node B's own segments", async () => {
      const text = await readFile(onB, 'utf8').catch(() => '');
      const own = lastMap(text) !== undefined && !onA.includes(`URI="${lastMap(text)}"`);
      return own && lastMsn(text) > lastMsn(onA) && text.includes('#EXT-X-DISCONTINUITY') ? text : undefined;
    }, 60_000);
    expect(transcodersFor(path.dirname(path.dirname(onB)))).toHaveLength(1);
    expect(Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)/m.exec(after)?.[1])).toBeGreaterThanOrEqual(Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)/m.exec(before)?.[1]));
    // Players on either node see that playlist, and its newest segment, as B has it.
    for (const node of [nodeA, nodeB]) {
      const text = await (await hls(node, `${rendition}/index.m3u8`, sid)).text();
      expect(lastMsn(text)).toBeGreaterThan(lastMsn(before));
    }
    const newest = segmentsOf(after).at(-1) ?? '';
    const throughA = Buffer.from(await (await hls(nodeA, `${rendition}/${newest}`, sid)).arrayBuffer());
    expect(throughA.length).toBeGreaterThan(0);
    expect(throughA.equals(await readFile(path.join(path.dirname(onB), newest)))).toBe(true);
    expect((await counts(nodeA)).status).toBe('live');
  });

  it('ends the stream from the node without the encoder: a stop on node A lets go of the encoder on node B', { timeout: 60_000 }, async () => {
    const onB = publishers.at(-1);
    expect((await nodeA.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: host })).status).toBe(200);
    await eventually("node B's transcoder to stop", async () => (transcodersFor(path.join(nodeB.dataDir, 'hls', stream.stream_id)).length === 0 ? true : undefined), 20_000);
    // The encoder is disconnected (ffmpeg exits when its connection closes), long before its 120 s.
    expect(await onB?.exited).not.toBeUndefined();
    expect((await counts(nodeB)).status).toBe('ended');
    // The ended window is still served from B, through A, with the end marked.
    const ended = await (await hls(nodeA, `${rendition}/index.m3u8`, sid)).text();
    expect(ended).toContain('#EXT-X-ENDLIST');
  });
});

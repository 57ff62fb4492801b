import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCoordinate, liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { startEdge, type Edge } from '../../testkit/edge.js';
import { TestUser } from '../../testkit/nostr.js';
import { createScratchDatabase } from '../../testkit/postgres.js';
import { pushTestPattern, type PublisherProcess } from '../../testkit/publishers.js';
import { Relay } from '../../testkit/relay-client.js';
import { freePort, startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually, statusOf, type Created } from '../../testkit/streams.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Counts {
  current_viewers: number;
  total_viewers: number;
}

/** The URIs a playlist lists (its non-tag lines), resolved against where it was fetched. */
const urisIn = (playlist: string, base: string) =>
  playlist
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => new URL(line, base).toString());

/**
 * The scripted local cluster: two nodes on one PostgreSQL and one Redis, Debian's nginx as the
 * HLS edge in front of both (scripts/edge.sh, deploy/nginx/edge.conf.template) and nginx-rtmp
 * in front as ingest. An encoder publishes through nginx-rtmp to node A; a viewer watches
 * through the edge, whose cache answers repeated requests; the edge's access log counts them
 * once; chat sent through the edge reaches subscribers on both nodes; and when the encoder
 * moves to node B, the edge (still asking node A) keeps serving the stream from there.
 */
describe('a cluster behind an nginx edge', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let nodeA: TestServer;
  let nodeB: TestServer;
  let edge: Edge;
  let publisher: PublisherProcess | undefined;
  const host = new TestUser();
  let stream: Created;
  /** Viewers the tests have been so far (sessions, and players without one), for exact counts. */
  let viewersSoFar = 0;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const logPort = await freePort();
    const env = { DATABASE_URL: scratch.url, REDIS_URL, METRICS_SAMPLE_SECONDS: '1' };
    nodeA = await startTestServer('sqlite', { env: { ...env, EDGE_LOG_LISTEN: `127.0.0.1:${logPort}` } });
    nodeB = await startTestServer('sqlite', { env: { ...env, EDGE_LOG_LISTEN: `127.0.0.1:${await freePort()}` } });
    edge = await startEdge({
      nodes: [nodeA.url, nodeB.url],
      // HLS pinned to the node that holds the stream; the last test asks node B for it.
      hlsNodes: [nodeA.url],
      viewerLog: `127.0.0.1:${logPort}`,
      rtmpNode: `127.0.0.1:${nodeA.app.config.rtmpPort}`,
    });
    stream = await createStream(nodeA, host, { quality: '480p', record: false });
    publisher = pushTestPattern(`${edge.rtmpUrl}/${stream.stream_key}`, { seconds: 60, size: '640x360' });
    await eventually('the encoder to reach node A through nginx-rtmp', async () => ((await statusOf(nodeA, host, stream.stream_id)).status === 'connected' ? true : undefined));
    expect((await nodeA.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: host })).status).toBe(200);
    // Polled as one viewer (one session, in its cookie), who is counted.
    const probe = { cookie: 'wl_sid=readiness-probe' };
    await eventually('a whole segment in the live playlists, through the edge', async () => {
      const master = await fetch(`${edge.url}/hls/${stream.stream_id}/master.m3u8`, { headers: probe });
      if (!master.ok) return undefined;
      const [rendition] = urisIn(await master.text(), master.url);
      const media = await fetch(rendition ?? '', { headers: probe });
      return media.ok && (await media.text()).includes('#EXTINF') ? true : undefined;
    }, 60_000);
    viewersSoFar = 1;
  }, 120_000);
  afterAll(async () => {
    publisher?.child.kill('SIGKILL');
    await edge?.stop();
    await nodeA?.destroy();
    await nodeB?.destroy();
    await scratch?.drop();
  });

  it('refuses an encoder with a wrong key at nginx-rtmp, through the on_publish check', async () => {
    const intruder = pushTestPattern(`${edge.rtmpUrl}/not-a-stream-key`, { seconds: 5, size: '320x180' });
    expect(await intruder.exited).not.toBe(0);
    expect((await statusOf(nodeA, host, stream.stream_id)).status).toBe('live');
  });

  it('serves playlists and segments through the edge, a segment fetched twice from its cache, and no viewer’s session to another', { timeout: 30_000 }, async () => {
    const agent = { 'user-agent': 'cluster-test-viewer' };
    const master = await fetch(`${edge.url}/hls/${stream.stream_id}/master.m3u8`, { headers: agent });
    expect(master.status).toBe(200);
    // The multivariant playlist starts this viewer's session: never kept by the edge.
    expect(master.headers.get('x-cache-status')).toBe('BYPASS');
    const cookie = master.headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^wl_sid=[A-Za-z0-9_-]{8,32}$/);
    const [rendition] = urisIn(await master.text(), master.url);
    expect(rendition).toContain(`sid=${cookie.slice('wl_sid='.length)}`);

    const media = await fetch(rendition ?? '', { headers: { ...agent, cookie } });
    expect(media.status).toBe(200);
    const playlist = await media.text();
    expect(playlist).toContain('#EXTM3U');
    // Kept by the edge and handed to every viewer: it names nobody's session.
    expect(playlist).not.toContain('sid=');
    const [segment] = urisIn(playlist, media.url);
    if (segment === undefined) throw new Error(`no segment in ${playlist}`);

    const first = await fetch(segment, { headers: { ...agent, cookie } });
    const again = await fetch(segment, { headers: { 'user-agent': 'another-viewer' } });
    // A player with no session is one viewer per address and browser, counted from its playlist
    // reloads (the edge logs playlists only): a second viewer.
    const anonymous = await fetch(media.url.split('?')[0] ?? '', { headers: { 'user-agent': 'another-viewer' } });
    viewersSoFar += 2;
    expect(anonymous.status).toBe(200);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get('x-cache-status')).toBe('HIT');
    expect(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(await first.arrayBuffer()))).toBe(true);

    // A blocking reload is held at the origin and passed through, never kept.
    const msn = /#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(playlist)?.[1] ?? '0';
    const blocking = await fetch(`${media.url}&_HLS_msn=${msn}`, { headers: agent });
    expect(blocking.status).toBe(200);
    expect(blocking.headers.get('x-cache-status')).toBe('BYPASS');
  });

  it('counts a viewer behind the edge once, from its access log, not the edge’s own cache fills', { timeout: 30_000 }, async () => {
    const counts = async () => (await nodeA.call<Counts>('GET', `/api/v1/streams/${stream.stream_id}/status`)).body;
    const settled = await eventually('the earlier viewers counted', async () => ((await counts()).total_viewers === viewersSoFar ? viewersSoFar : undefined), 10_000);
    const agent = { 'user-agent': 'counted-viewer' };
    const master = await fetch(`${edge.url}/hls/${stream.stream_id}/master.m3u8`, { headers: agent });
    const cookie = master.headers.get('set-cookie')?.split(';')[0] ?? '';
    const [rendition] = urisIn(await master.text(), master.url);
    // Segments are not logged, only playlists: a client that fetches nothing but segments is nobody.
    const segmentsOnly = { 'user-agent': 'segments-only' };
    for (let poll = 0; poll < 3; poll += 1) {
      const media = await fetch(rendition ?? '', { headers: { ...agent, cookie } });
      for (const segment of urisIn(await media.text(), media.url).slice(-2)) {
        await (await fetch(segment, { headers: { ...agent, cookie } })).arrayBuffer();
        expect((await fetch(segment, { headers: segmentsOnly })).status).toBe(200);
      }
      await sleep(500);
    }
    viewersSoFar += 1;
    await eventually('the viewer counted', async () => ((await counts()).total_viewers === settled + 1 ? true : undefined), 10_000);
    // More reporting rounds: neither the edge's own fills (no session, the edge's address) nor the segments-only client is a second viewer.
    await sleep(2500);
    expect((await counts()).total_viewers).toBe(settled + 1);
  });

  it('carries chat sent through the edge to subscribers on either node', { timeout: 30_000 }, async () => {
    const viewer = new TestUser();
    const coordinate = liveEventCoordinate(nodeA.app.serviceKey.pubkey, stream.stream_id);
    const subscribers = await Promise.all([nodeA, nodeB].map((node) => Relay.connect(node.url.replace('http://', 'ws://'))));
    try {
      const received = subscribers.map(
        (relay) =>
          new Promise<string>((resolve, reject) => {
            const subscription = relay.subscribe([{ kinds: [1311], '#a': [formatCoordinate(coordinate)], authors: [viewer.pubkey] }], {
              onevent: (event) => {
                resolve(event.content);
                subscription.close();
              },
              onclose: (reason) => reject(new Error(`subscription closed: ${reason}`)),
            });
          }),
      );
      const throughEdge = await Relay.connect(edge.url.replace('http://', 'ws://'));
      await throughEdge.publish(viewer.sign(buildLiveChat({ stream: coordinate, content: 'hello through the edge' }, Math.floor(Date.now() / 1000))));
      throughEdge.close();
      expect(await Promise.all(received)).toEqual(['hello through the edge', 'hello through the edge']);
    } finally {
      for (const relay of subscribers) relay.close();
    }
  });

  it('serves the stream held by node A through an edge that only knows node B', { timeout: 30_000 }, async () => {
    const onlyB = await startEdge({ nodes: [nodeB.url] });
    try {
      // An nginx just started can reset the very first connection while its worker starts: ask again.
      const master = await eventually('the edge that knows only node B', () => fetch(`${onlyB.url}/hls/${stream.stream_id}/master.m3u8`).catch(() => undefined), 10_000);
      expect(master.status).toBe(200);
      const [rendition] = urisIn(await master.text(), master.url);
      const media = await fetch(rendition ?? '');
      expect(media.status).toBe(200);
      const [segment] = urisIn(await media.text(), media.url);
      expect((await fetch(segment ?? '')).status).toBe(200);
    } finally {
      await onlyB.stop();
    }
  });

  it('keeps the stream playing through the edge when the encoder moves from node A to node B', { timeout: 90_000 }, async () => {
    const playlistUrl = async () => {
      const master = await fetch(`${edge.url}/hls/${stream.stream_id}/master.m3u8`, { headers: { cookie: 'wl_sid=readiness-probe' } });
      return urisIn(await master.text(), master.url)[0] ?? '';
    };
    const lastSequence = async (url: string) => {
      const text = await (await fetch(url, { headers: { cookie: 'wl_sid=readiness-probe' } })).text();
      const first = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? Number.NaN);
      return first + text.split('\n').filter((line) => line.startsWith('#EXTINF')).length - 1;
    };
    const rendition = await playlistUrl();
    const before = await lastSequence(rendition);
    // The encoder loses nginx-rtmp and comes back on node B's own ingest, within the grace.
    publisher?.child.kill('SIGKILL');
    await eventually('node A to see the encoder go', async () => ((await statusOf(nodeA, host, stream.stream_id)).status === 'reconnecting' ? true : undefined), 20_000);
    publisher = pushTestPattern(`rtmp://127.0.0.1:${nodeB.app.config.rtmpPort}/live/${stream.stream_key}`, { seconds: 60, size: '640x360' });
    await eventually('the stream live again', async () => ((await statusOf(nodeB, host, stream.stream_id)).status === 'live' ? true : undefined), 30_000);
    // The edge still asks node A only; A answers from node B, and the sequence goes on past where it was.
    await eventually('newer segments through the edge', async () => ((await lastSequence(rendition)) > before + 1 ? true : undefined), 45_000);
    expect((await statusOf(nodeA, host, stream.stream_id)).status).toBe('live');
  });
});

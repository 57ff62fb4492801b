import { setTimeout as sleep } from 'node:timers/promises';
import { verifyEvent, type VerifiedEvent } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLiveEvent, type LiveEvent } from '../../src/protocol/live-event.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { freePort, startTestServer, type TestServer } from '../../testkit/server.js';

interface Created {
  stream_id: string;
  stream_key: string;
}

const wsUrl = (server: TestServer) => `${server.url.replace('http://', 'ws://')}/`;

/**
 * Kind 30311 publishing end to end: the service signs its streams' live events and puts
 * them on its own relay and on the configured external relays (here: two more instances
 * of the service, one of which only comes up later), read back with nostr-tools.
 */
describe('NIP-53 live event publishing', () => {
  let external: TestServer;
  let main: TestServer;
  let late: TestServer | undefined;
  let latePort: number;
  const alice = new TestUser();

  beforeAll(async () => {
    external = await startTestServer('sqlite');
    latePort = await freePort();
    main = await startTestServer('sqlite', {
      // 2 s between a stream's 30311 updates: the changed cover is still held back, for less than the default 10 s.
      env: { RELAYS: `${wsUrl(external)},ws://127.0.0.1:${latePort}/`, LIVE_EVENT_MIN_INTERVAL_SECONDS: '2' },
    });
  });
  afterAll(async () => {
    await main?.destroy();
    await external?.destroy();
    await late?.destroy();
  });

  async function liveEvents(server: TestServer, streamId: string): Promise<VerifiedEvent[]> {
    const relay = await Relay.connect(wsUrl(server));
    try {
      return await queryRelay(relay, [{ kinds: [30311], '#d': [streamId] }]);
    } finally {
      relay.close();
    }
  }

  /** The stream's 30311 on `server` once it matches `wanted` (named `what` in the failure). */
  async function waitForEvent(server: TestServer, streamId: string, what: string, wanted: (event: LiveEvent) => boolean): Promise<LiveEvent> {
    for (let waited = 0; waited < 20_000; waited += 250) {
      const [event] = await liveEvents(server, streamId);
      const parsed = event ? parseLiveEvent(event) : undefined;
      if (parsed?.ok && wanted(parsed.value)) return parsed.value;
      await sleep(250);
    }
    throw new Error(`no ${what} live event for ${streamId} on ${server.url}`);
  }

  const waitForStatus = (server: TestServer, streamId: string, status: string) =>
    waitForEvent(server, streamId, status, (event) => event.status === status);

  async function create(extra: object = {}): Promise<Created> {
    const { status, body } = await main.call<Created>('POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'Synth jam', description: 'Modular', category: 'music', tags: ['synth'], quality: '480p', ...extra },
    });
    expect(status).toBe(201);
    return body;
  }

  it('publishes planned on create, live on start and ended on stop, signed by the service with the streamer as host', async () => {
    const stream = await create();
    const planned = await waitForStatus(main, stream.stream_id, 'planned');
    const service = main.app.serviceKey.pubkey;
    expect(planned).toMatchObject({
      author: service,
      host: alice.pubkey,
      title: 'Synth jam',
      summary: 'Modular',
      hashtags: ['music', 'synth'],
      relays: [wsUrl(main), wsUrl(external), `ws://127.0.0.1:${latePort}/`],
      streamingType: 'video',
      qualityOptions: ['source', '480p', '360p'],
      zapStreamCategory: 'music',
      participants: [{ pubkey: alice.pubkey, relay: wsUrl(main), role: 'host' }],
    });
    expect(planned.streaming).toBeUndefined();

    await main.call('POST', '/api/v1/streams/auth', { json: { name: stream.stream_key, call: 'publish' } });
    await main.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice });
    const live = await waitForStatus(main, stream.stream_id, 'live');
    expect(live).toMatchObject({
      streaming: `${main.url}/hls/${stream.stream_id}/master.m3u8`,
      starts: expect.any(Number),
      currentParticipants: 0,
      totalParticipants: 0,
    });
    const [raw] = await liveEvents(main, stream.stream_id);
    expect(raw && verifyEvent({ ...raw })).toBe(true);
    expect(raw?.tags).toContainEqual(['p', alice.pubkey, wsUrl(main), 'host']);
    expect(raw?.tags).toContainEqual(['status', 'live']);
    // Live through the ingest's callback alone, no media has arrived: there is no picture to point at.
    expect(live.image).toBeUndefined();
    expect(raw?.tags.some(([name]) => name === 'thumb' || name === 'thumbnail')).toBe(false);
    expect(raw?.tags).toContainEqual(['t', 'internal:music']);
    // zap.stream would call its account and notifications API at a `service` URL: not ours.
    expect(raw?.tags.some(([name]) => name === 'service')).toBe(false);

    await main.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: alice });
    const ended = await waitForStatus(main, stream.stream_id, 'ended');
    expect(ended.ends).toBeGreaterThanOrEqual(live.starts ?? 0);
    expect(ended.streaming).toBeUndefined();
    // Replaceable: one event per stream on the relay, the newest.
    expect(await liveEvents(main, stream.stream_id)).toHaveLength(1);

    const mirrored = await waitForStatus(external, stream.stream_id, 'ended');
    expect(mirrored.id).toBe(ended.id);
  });

  it("carries the streamer's cover as image, no thumbnail before any picture was taken, and follows a changed cover", { timeout: 40_000 }, async () => {
    const cover = 'https://images.example.com/covers/synth-jam.jpg';
    const stream = await create({ image: cover });
    const planned = await waitForStatus(main, stream.stream_id, 'planned');
    expect(planned.image).toBe(cover);
    // No picture of the broadcast exists before it starts.
    expect(planned.thumbnail).toBeUndefined();

    await main.call('POST', '/api/v1/streams/auth', { json: { name: stream.stream_key, call: 'publish' } });
    await main.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice });
    const live = await waitForStatus(main, stream.stream_id, 'live');
    expect(live.image).toBe(cover);
    // Live through the ingest's callback alone: no media, so no picture of it (test/media/rtmp-to-hls.test.ts has one taken).
    expect(live.thumbnail).toBeUndefined();

    const newCover = 'http://images.example.com/covers/late-set.png';
    const patched = await main.call('PATCH', `/api/v1/streams/${stream.stream_id}`, { as: alice, json: { image: newCover } });
    expect(patched.status).toBe(200);
    // Held back by the rate limit after going live, then published with the new cover.
    const updated = await waitForEvent(main, stream.stream_id, 'new cover', (event) => event.image === newCover);
    expect(updated.status).toBe('live');
    expect(updated.createdAt).toBeGreaterThan(live.createdAt);
    await waitForEvent(external, stream.stream_id, 'new cover', (event) => event.image === newCover);
  });

  it('never publishes a private stream', async () => {
    const stream = await create({ visibility: 'private' });
    await main.call('POST', '/api/v1/streams/auth', { json: { name: stream.stream_key, call: 'publish' } });
    await main.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice });
    const publicStream = await create();
    await waitForStatus(external, publicStream.stream_id, 'planned');
    expect(await liveEvents(main, stream.stream_id)).toEqual([]);
    expect(await liveEvents(external, stream.stream_id)).toEqual([]);
  });

  it('delivers the newest event to a relay that was down, once it comes up', async () => {
    const stream = await create();
    await main.call('POST', '/api/v1/streams/auth', { json: { name: stream.stream_key, call: 'publish' } });
    await main.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: alice });
    // The stream went live on the other relays while this one was unreachable.
    await waitForStatus(external, stream.stream_id, 'live');
    late = await startTestServer('sqlite', { env: { PORT: String(latePort), PUBLIC_URL: `http://127.0.0.1:${latePort}` } });
    const delivered = await waitForStatus(late, stream.stream_id, 'live');
    const [onMain] = await liveEvents(main, stream.stream_id);
    expect(delivered.id).toBe(onMain?.id);
  });
});

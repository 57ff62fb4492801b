import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { TestBunker } from '../../testkit/bunker.js';
import { createScratchDatabase } from '../../testkit/postgres.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { eventually } from '../../testkit/streams.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Scale-out: two service processes' worth of the app (two instances, each with its own
 * HTTP port and relay) on one PostgreSQL and one Redis. Streams and events are shared
 * through the database; live delivery crosses nodes through Redis.
 */
describe('two nodes on PostgreSQL and Redis', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let nodeA: TestServer;
  let nodeB: TestServer;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const env = { DATABASE_URL: scratch.url, REDIS_URL };
    nodeA = await startTestServer('sqlite', { env });
    nodeB = await startTestServer('sqlite', { env });
  });
  afterAll(async () => {
    await nodeA?.destroy();
    await nodeB?.destroy();
    await scratch?.drop();
  });

  const relayUrl = (node: TestServer) => node.url.replace('http://', 'ws://');

  it('delivers an event published on one node live to a subscriber on the other', async () => {
    const author = new TestUser();
    const onB = await Relay.connect(relayUrl(nodeB));
    const received = new Promise<string>((resolve) => {
      const subscription = onB.subscribe([{ kinds: [1], authors: [author.pubkey] }], {
        oneose: async () => {
          const onA = await Relay.connect(relayUrl(nodeA));
          await onA.publish(author.sign({ kind: 1, content: 'from node A' }));
          onA.close();
        },
        onevent: (event) => {
          subscription.close();
          resolve(event.content);
        },
      });
    });
    expect(await received).toBe('from node A');
    // Stored once, in the shared database: node B answers queries for it too.
    expect((await queryRelay(onB, [{ kinds: [1], authors: [author.pubkey] }])).map((event) => event.content)).toEqual(['from node A']);
    onB.close();
  });

  it('shares streams: one created on node A is started, listed and watched through node B', async () => {
    const user = new TestUser();
    const { body } = await nodeA.call<{ stream_id: string; stream_key: string }>('POST', '/api/v1/streams/create', {
      as: user,
      json: { title: 'Across nodes', category: 'talk' },
    });
    // nginx-rtmp in front of node B calls its on_publish.
    expect((await nodeB.call('POST', '/api/v1/streams/auth', { json: { name: body.stream_key, call: 'publish' } })).status).toBe(200);
    expect((await nodeB.call('POST', `/api/v1/streams/${body.stream_id}/start`, { as: user })).status).toBe(200);
    const listed = await nodeA.call<{ streams: { stream_id: string; status: string }[] }>('GET', '/api/v1/streams/live');
    expect(listed.body.streams.find((stream) => stream.stream_id === body.stream_id)?.status).toBe('live');
  });

  it("keeps a streamer-signed stream's chat rules on the node that did not create it", async () => {
    const host = new TestUser();
    const viewer = new TestUser();
    const bunker = await TestBunker.start(relayUrl(nodeA), host.secret);
    try {
      const { status, body } = await nodeA.call<{ stream_id: string }>('POST', '/api/v1/streams/create', {
        as: host,
        json: { title: 'Quiet, signed by me', category: 'talk', enable_chat: false, signer: 'streamer', bunker: bunker.uri },
      });
      expect(status).toBe(201);
      const stream = liveEventCoordinate(host.pubkey, body.stream_id);
      // Node B learns the stream from the shared database within its refresh, then holds it to the host's rule.
      const refusal = await eventually('node B applying the chat rule', async () => {
        const relay = await Relay.connect(relayUrl(nodeB));
        try {
          await relay.publish(viewer.sign(buildLiveChat({ stream, content: 'hello?' }, Math.floor(Date.now() / 1000))));
          return undefined;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        } finally {
          relay.close();
        }
      }, 15_000);
      expect(refusal).toMatch(/^blocked: the host has turned chat off/);
    } finally {
      bunker.close();
    }
  });
});

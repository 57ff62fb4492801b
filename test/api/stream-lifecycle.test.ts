import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../testkit/engines.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { TestUser } from '../../testkit/nostr.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

interface Created {
  stream_id: string;
  stream_key: string;
}

interface StreamBody {
  status: string;
  paused: boolean;
  status_reason?: string | null;
  ended_at: number | null;
}

/**
 * The lifecycle beyond the happy path, driven over HTTP with the nginx-rtmp style callback
 * standing in for the encoder: pause and resume, and the reconnect grace period.
 */
describe.each(ENGINES)('stream lifecycle on %s', (engine) => {
  let server: TestServer;
  const alice = new TestUser();
  const mallory = new TestUser();

  beforeAll(async () => {
    server = await startTestServer(engine, { env: { RECONNECT_GRACE_SECONDS: '1' } });
  });
  afterAll(async () => {
    await server?.destroy();
  });

  async function liveStream(): Promise<Created> {
    const { body } = await server.call<Created>('POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'Lifecycle', category: 'talk' },
    });
    await server.call('POST', '/api/v1/streams/auth', { json: { name: body.stream_key, call: 'publish' } });
    expect((await server.call('POST', `/api/v1/streams/${body.stream_id}/start`, { as: alice })).status).toBe(200);
    return body;
  }

  const status = async (id: string) =>
    (await server.call<StreamBody>('GET', `/api/v1/streams/${id}/status`, { as: alice })).body;

  it('pauses and resumes a live stream for its owner only', async () => {
    const stream = await liveStream();
    const stranger = await server.call('POST', `/api/v1/streams/${stream.stream_id}/pause`, { as: mallory });
    expect(stranger.status).toBe(403);

    const paused = await server.call<StreamBody>('POST', `/api/v1/streams/${stream.stream_id}/pause`, { as: alice });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'live', paused: true });
    expect(await status(stream.stream_id)).toMatchObject({ status: 'live', paused: true });

    const resumed = await server.call<StreamBody>('POST', `/api/v1/streams/${stream.stream_id}/resume`, { as: alice });
    expect(resumed.body).toMatchObject({ status: 'live', paused: false });
  });

  it('lets the owner edit title, description and tags while live, with the same rules as create', async () => {
    const stream = await liveStream();
    const path = `/api/v1/streams/${stream.stream_id}`;
    const edited = await server.call<StreamBody & { title: string; tags: string[] }>('PATCH', path, {
      as: alice,
      json: { title: 'New title', tags: ['Jazz', 'live'] },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: 'New title', tags: ['jazz', 'live'], status: 'live' });
    expect((await server.call('PATCH', path, { as: mallory, json: { title: 'Hijack' } })).status).toBe(403);
    const tooLong = await server.call<{ error: string; message: string }>('PATCH', path, { as: alice, json: { title: 'x'.repeat(101) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toMatch(/title/);
    expect((await server.call('PATCH', path, { as: alice, json: {} })).status).toBe(400);
    expect((await status(stream.stream_id) as unknown as { title: string }).title).toBe('New title');
  });

  it('refuses to pause a stream that is not live, saying why', async () => {
    const { body } = await server.call<Created>('POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'Not yet', category: 'talk' },
    });
    const refused = await server.call<{ error: string; message: string }>('POST', `/api/v1/streams/${body.stream_id}/pause`, {
      as: alice,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'not_live', message: expect.stringContaining('Start') });
  });

  it('ends a stream whose encoder does not come back within the grace period', async () => {
    const stream = await liveStream();
    await server.call('POST', `/api/v1/streams/${stream.stream_id}/pause`, { as: alice });
    await server.call('POST', '/api/v1/streams/auth', { json: { name: stream.stream_key, call: 'publish_done' } });
    expect((await status(stream.stream_id)).status).toBe('reconnecting');

    let current = await status(stream.stream_id);
    for (let waited = 0; current.status === 'reconnecting' && waited < 10_000; waited += 200) {
      await sleep(200);
      current = await status(stream.stream_id);
    }
    expect(current).toMatchObject({
      status: 'ended',
      paused: false,
      status_reason: 'the encoder did not reconnect within 1 s',
      ended_at: expect.any(Number),
    });
  });

  it('keeps a stream live when the encoder returns within the grace period', async () => {
    const stream = await liveStream();
    await server.call('POST', '/api/v1/streams/auth', { json: { name: stream.stream_key, call: 'publish_done' } });
    expect((await status(stream.stream_id)).status).toBe('reconnecting');
    await server.call('POST', '/api/v1/streams/auth', { json: { name: stream.stream_key, call: 'publish' } });
    expect((await status(stream.stream_id)).status).toBe('live');
    await sleep(1500);
    expect((await status(stream.stream_id)).status).toBe('live');
  });

  it('after a restart, ends a stream whose encoder is gone and publishes its final live event', async () => {
    const stream = await liveStream();
    server = await server.restart();
    let current = await status(stream.stream_id);
    for (let waited = 0; current.status !== 'ended' && waited < 10_000; waited += 200) {
      await sleep(200);
      current = await status(stream.stream_id);
    }
    expect(current).toMatchObject({ status: 'ended', status_reason: 'the encoder did not reconnect within 1 s' });
    const relay = await Relay.connect(server.url.replace('http://', 'ws://'));
    let tags: string[][] = [];
    for (let waited = 0; !tags.some(([name, value]) => name === 'status' && value === 'ended') && waited < 5000; waited += 200) {
      const [event] = await queryRelay(relay, [{ kinds: [30311], '#d': [stream.stream_id] }]);
      tags = event?.tags ?? [];
      await sleep(200);
    }
    relay.close();
    expect(tags).toContainEqual(['status', 'ended']);
  });
});

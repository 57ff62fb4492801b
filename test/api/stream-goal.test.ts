import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamView } from '../../src/protocol/api-views.js';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { liveEventAt } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { eventually } from '../../testkit/streams.js';

interface Created {
  stream_id: string;
  stream_key: string;
}

const goalId = 'ab'.repeat(32);

/** The stream's NIP-75 goal over HTTP: PATCH sets and clears it, the view and the 30311 `goal` tag follow, bad ids are refused. */
describe.each(ENGINES)('stream goal over HTTP on %s', (engine) => {
  let server: TestServer;
  const alice = new TestUser();
  const bob = new TestUser();
  let relayUrl: string;

  beforeAll(async () => {
    // The goal's set and cleared versions each wait out the rate limit after the one before: the shortest it can be.
    server = await startTestServer(engine, { env: { LIVE_EVENT_MIN_INTERVAL_SECONDS: '2' } });
    relayUrl = `${server.url.replace('http:', 'ws:')}/`;
  });
  afterAll(async () => {
    await server.destroy();
  });

  it('sets the goal, answers it in the JSON, tags the 30311 with it, and clears it', async () => {
    const created = await server.call<Created>('POST', '/api/v1/streams/create', {
      as: alice,
      json: { title: 'Goal night', category: 'music' },
    });
    expect(created.status).toBe(201);
    const stream = created.body;
    const path = `/api/v1/streams/${stream.stream_id}`;
    const statusPath = `${path}/status`;
    expect((await server.call<StreamView>('GET', statusPath)).body.goal).toBeNull();
    await server.call('POST', '/api/v1/streams/auth', { json: { name: stream.stream_key, call: 'publish' } });
    expect((await server.call('POST', `${path}/start`, { as: alice })).status).toBe(200);

    const patched = await server.call<StreamView>('PATCH', path, { as: alice, json: { goal: goalId } });
    expect(patched.status).toBe(200);
    expect(patched.body.goal).toBe(goalId);
    expect((await server.call<StreamView>('GET', statusPath)).body.goal).toBe(goalId);
    const tagged = await eventually('the 30311 with the goal', async () => {
      const event = await liveEventAt(relayUrl, stream.stream_id);
      return event?.goal ? event : undefined;
    });
    expect(tagged.goal).toBe(goalId);

    expect((await server.call('PATCH', path, { as: bob, json: { goal: 'cd'.repeat(32) } })).status).toBe(403);
    for (const bad of ['xyz', 'AB'.repeat(32), 'ab'.repeat(31), 42]) {
      const refused = await server.call('PATCH', path, { as: alice, json: { goal: bad } });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: 'invalid_request', message: expect.stringContaining('goal must be a 64-character hex event id') });
    }
    expect((await server.call<StreamView>('GET', statusPath)).body.goal).toBe(goalId);

    const cleared = await server.call<StreamView>('PATCH', path, { as: alice, json: { goal: null } });
    expect(cleared.body.goal).toBeNull();
    await eventually('the 30311 without the goal', async () =>
      (await liveEventAt(relayUrl, stream.stream_id))?.goal === undefined ? true : undefined,
    );
    // The publisher republishes a changed stream at most every LIVE_EVENT_MIN_INTERVAL_SECONDS: two changes take two turns.
  }, 45_000);
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { KIND } from '../../src/protocol/kinds.js';
import { unixNow } from '../../src/protocol/time.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

/**
 * The service's live events reach its own relay through the relay's policies, like any
 * client's events; the limits meant for one person (writes per minute, bytes kept) must not
 * stop the service publishing its own streams.
 */
describe("the service's live events and the relay's write limits", () => {
  let server: TestServer | undefined;
  let relay: Relay | undefined;
  afterEach(async () => {
    relay?.close();
    await server?.destroy();
  });

  const start = async (env: Record<string, string>) => {
    server = await startTestServer('sqlite', { env });
    relay = await Relay.connect(server.url.replace('http://', 'ws://'));
    return { server, relay };
  };
  const createStreams = async (running: TestServer, count: number) => {
    const host = new TestUser();
    for (let i = 0; i < count; i += 1) {
      const created = await running.call('POST', '/api/v1/streams/create', { as: host, json: { title: `Stream ${i}`, category: 'talk' } });
      expect(created.status).toBe(201);
    }
  };
  const serviceEvents = (running: TestServer, connection: Relay) =>
    queryRelay(connection, [{ kinds: [KIND.liveEvent], authors: [running.app.serviceKey.pubkey] }]);

  it('keeps publishing every stream when the per-pubkey write limit is far below what the service signs', async () => {
    const { server: running, relay: connection } = await start({ RATE_LIMIT_EVENTS_PER_PUBKEY: '1' });
    const user = new TestUser();
    await connection.publish(user.sign({ kind: 1, content: 'one' }));
    await expect(connection.publish(user.sign({ kind: 1, content: 'two' }))).rejects.toThrow(/^rate-limited: /);

    await createStreams(running, 3);
    await vi.waitFor(async () => expect(await serviceEvents(running, connection)).toHaveLength(3), { timeout: 10_000 });
  });

  it("keeps publishing new streams when the service's key holds more than the per-pubkey storage quota", async () => {
    const { server: running, relay: connection } = await start({ RELAY_STORAGE_PER_PUBKEY_MB: '1' });
    // A megabyte and more of the service's own events, as years of ended streams would add up to.
    const filler = 'x'.repeat(60_000);
    for (let i = 0; i < 18; i += 1) {
      const template = { kind: 30023, tags: [['d', `filler-${i}`]], content: filler, created_at: unixNow() };
      await connection.publish(running.app.serviceKey.sign(template));
    }
    const user = new TestUser();
    for (let i = 0; i < 18; i += 1) {
      const attempt = connection.publish(user.sign({ kind: 30023, tags: [['d', `filler-${i}`]], content: filler }));
      if (i < 17) await attempt;
      else await expect(attempt).rejects.toThrow(/^restricted: this relay keeps at most/);
    }

    await createStreams(running, 2);
    await vi.waitFor(async () => expect(await serviceEvents(running, connection)).toHaveLength(2), { timeout: 10_000 });
  });
});

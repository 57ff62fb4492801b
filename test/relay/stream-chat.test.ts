import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

/** The chat rules for this service's streams, through nostr-tools, on both engines. */
describe.each(ENGINES)('stream chat rules on %s', (engine) => {
  let server: TestServer;
  let relay: Relay;
  const host = new TestUser();
  const viewer = new TestUser();

  beforeAll(async () => {
    server = await startTestServer(engine);
    relay = await Relay.connect(server.url.replace('http://', 'ws://'));
  });
  afterAll(async () => {
    relay?.close();
    await server?.destroy();
  });

  async function stream(enableChat: boolean) {
    const { body } = await server.call<{ stream_id: string }>('POST', '/api/v1/streams/create', {
      as: host,
      json: { title: 'Chat rules', category: 'talk', enable_chat: enableChat },
    });
    return liveEventCoordinate(server.app.serviceKey.pubkey, body.stream_id);
  }
  const chat = (coordinate: ReturnType<typeof liveEventCoordinate>, content: string, at = Math.floor(Date.now() / 1000)) =>
    viewer.sign(buildLiveChat({ stream: coordinate, content }, at));

  it('refuses chat for a stream whose host turned chat off', async () => {
    await expect(relay.publish(chat(await stream(false), 'hello?'))).rejects.toThrow(/^blocked: the host has turned chat off/);
  });

  it('accepts chat for a stream with chat on and delivers it live to #a subscribers', async () => {
    const coordinate = await stream(true);
    const address = `30311:${coordinate.pubkey}:${coordinate.identifier}`;
    const received = new Promise<string>((resolve) => {
      const subscription = relay.subscribe([{ kinds: [1311], '#a': [address] }], {
        oneose: () => void relay.publish(chat(coordinate, 'live hello')),
        onevent: (event) => {
          subscription.close();
          resolve(event.content);
        },
      });
    });
    expect(await received).toBe('live hello');
  });

  it('stores chat for another service\'s stream like any other event', async () => {
    const elsewhere = liveEventCoordinate(new TestUser().pubkey, 'their-stream');
    const event = chat(elsewhere, 'hi there');
    await relay.publish(event);
    expect((await queryRelay(relay, [{ ids: [event.id] }]))[0]?.content).toBe('hi there');
  });

  it('refuses chat naming a stream this service does not have', async () => {
    const unknown = liveEventCoordinate(server.app.serviceKey.pubkey, '00000000-0000-4000-8000-000000000000');
    await expect(relay.publish(chat(unknown, 'anyone?'))).rejects.toThrow(/^blocked: there is no such stream/);
  });

  it('answers #a queries with since newest first, and keeps chat across a restart', async () => {
    const coordinate = await stream(true);
    const address = `30311:${coordinate.pubkey}:${coordinate.identifier}`;
    const start = Math.floor(Date.now() / 1000) - 100;
    for (const [offset, text] of [[10, 'first'], [20, 'second'], [30, 'third']] as const) {
      await relay.publish(chat(coordinate, text, start + offset));
    }
    const read = async () => (await queryRelay(relay, [{ kinds: [1311], '#a': [address], since: start + 15 }])).map((event) => event.content);
    expect(await read()).toEqual(['third', 'second']);
    relay.close();
    server = await server.restart();
    relay = await Relay.connect(server.url.replace('http://', 'ws://'));
    expect(await read()).toEqual(['third', 'second']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventTemplate } from 'nostr-tools/pure';
import { formatCoordinate, liveEventCoordinate, type Coordinate } from '../../src/protocol/coordinate.js';
import { KIND } from '../../src/protocol/kinds.js';
import { buildPresence, PRESENCE_WINDOW_SECONDS } from '../../src/protocol/presence.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

const now = () => Math.floor(Date.now() / 1000);

/**
 * Room presence (kind 10312) on our relay: stored as the replaceable event it is (a viewer's
 * newest is the one room they are in), served to anyone for a public stream, and for a
 * private stream kept to the connections that may read its chat, as its chat is.
 */
describe.each(['sqlite', 'postgres'] as const)('room presence on %s', (engine) => {
  let server: TestServer;
  let url: string;
  const host = new TestUser();
  let open: Coordinate;
  let secret: Coordinate;
  let token: string;
  const relays: Relay[] = [];

  beforeAll(async () => {
    server = await startTestServer(engine);
    url = server.url.replace('http://', 'ws://');
    const create = async (visibility: string) =>
      (await server.call<{ stream_id: string }>('POST', '/api/v1/streams/create', { as: host, json: { title: visibility, category: 'talk', visibility } })).body.stream_id;
    open = liveEventCoordinate(server.app.serviceKey.pubkey, await create('public'));
    const secretId = await create('private');
    secret = liveEventCoordinate(server.app.serviceKey.pubkey, secretId);
    const status = await server.call<{ share_url: string }>('GET', `/api/v1/streams/${secretId}/status`, { as: host });
    token = new URL(status.body.share_url).searchParams.get('token') ?? '';
  });
  afterAll(async () => {
    for (const relay of relays) relay.close();
    await server?.destroy();
  });

  const plain = async () => {
    const relay = await Relay.connect(url);
    relays.push(relay);
    return relay;
  };
  /** A connection whose NIP-42 AUTH carried the private stream's token, as the web app's private channel does. */
  const withToken = async () => {
    const relay = new Relay(url);
    relays.push(relay);
    const signer = new TestUser();
    const sign = async (template: EventTemplate) => signer.sign({ ...template, tags: [...template.tags, ['token', token, formatCoordinate(secret)]] });
    const challenge = new Promise<void>((resolve) => {
      relay.onauth = async (template) => {
        resolve();
        return sign(template);
      };
    });
    await relay.connect();
    await challenge;
    await relay.auth(sign);
    return relay;
  };
  const here = (stream: Coordinate) => ({ kinds: [KIND.presence], '#a': [formatCoordinate(stream)], since: now() - PRESENCE_WINDOW_SECONDS });

  it('serves who is at a public stream, one presence per viewer, the newest replacing the one before', async () => {
    const viewer = new TestUser();
    const relay = await plain();
    const first = viewer.sign(buildPresence({ stream: open }, now() - 120));
    const second = viewer.sign(buildPresence({ stream: open }, now()));
    await relay.publish(first);
    await relay.publish(second);
    const present = await queryRelay(await plain(), [here(open)]);
    expect(present.filter((event) => event.pubkey === viewer.pubkey).map((event) => event.id)).toEqual([second.id]);
    // Replaceable: once the viewer is elsewhere, this stream no longer lists them.
    const elsewhere = viewer.sign(buildPresence({ stream: liveEventCoordinate(new TestUser().pubkey, 'another-service') }, now() + 2));
    await relay.publish(elsewhere);
    expect((await queryRelay(await plain(), [here(open)])).filter((event) => event.pubkey === viewer.pubkey)).toEqual([]);
    expect((await queryRelay(await plain(), [{ kinds: [KIND.presence], authors: [viewer.pubkey] }])).map((event) => event.id)).toEqual([elsewhere.id]);
  });

  it('keeps presence at a private stream to those with its token, and refuses it from strangers as it refuses their chat', async () => {
    const stranger = new TestUser();
    await expect((await plain()).publish(stranger.sign(buildPresence({ stream: secret }, now())))).rejects.toThrow('blocked: there is no such stream on this service');

    const viewer = new TestUser();
    const insider = await withToken();
    const presence = viewer.sign(buildPresence({ stream: secret }, now()));
    await insider.publish(presence);
    expect((await queryRelay(insider, [here(secret)])).map((event) => event.id)).toEqual([presence.id]);
    expect(await queryRelay(await plain(), [here(secret)])).toEqual([]);
    expect(await queryRelay(await plain(), [{ kinds: [KIND.presence], authors: [viewer.pubkey] }])).toEqual([]);
  });
});

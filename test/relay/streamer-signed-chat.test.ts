import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveEventCoordinate, type Coordinate } from '../../src/protocol/coordinate.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { buildModeration } from '../../src/protocol/moderation.js';
import type { CreatedStream } from '../../src/protocol/api-views.js';
import { TestBunker } from '../../testkit/bunker.js';
import { ENGINES } from '../../testkit/engines.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo, queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { eventually } from '../../testkit/streams.js';

const now = () => Math.floor(Date.now() / 1000);

/**
 * Streamer-signed streams (signer "streamer" with a NIP-46 bunker) at create and on the
 * relay: the refusals, whose key the JSON names, and the chat rules applying to the
 * streamer's coordinate `30311:<streamer>:<id>` and to no other.
 */
describe.each(ENGINES)('streamer-signed streams on %s', (engine) => {
  let server: TestServer;
  let bunker: TestBunker;
  const host = new TestUser();
  const viewer = new TestUser();
  const troll = new TestUser();
  const relayUrl = () => server.url.replace('http://', 'ws://');

  beforeAll(async () => {
    server = await startTestServer(engine, { env: { BUNKER_TIMEOUT_SECONDS: '2' } });
    bunker = await TestBunker.start(relayUrl(), host.secret);
  });
  afterAll(async () => {
    bunker?.close();
    await server?.destroy();
  });

  async function create(extra: object) {
    return server.call<CreatedStream & { error?: string; message?: string }>('POST', '/api/v1/streams/create', {
      as: host,
      json: { title: 'Signed by me', category: 'talk', signer: 'streamer', bunker: bunker.uri, ...extra },
    });
  }
  async function publish(author: TestUser, template: { kind: number; tags: string[][]; content: string; created_at: number }) {
    const event = author.sign(template);
    await publishTo(relayUrl(), event);
    return event;
  }
  const chat = (author: TestUser, stream: Coordinate, content: string) => publish(author, buildLiveChat({ stream, content }, now()));

  it('says whose key signs, and its 30311 is the streamer\'s', async () => {
    const { status, body } = await create({});
    expect(status).toBe(201);
    expect(body.stream).toMatchObject({ signer: 'streamer', event_pubkey: host.pubkey, signer_status: 'ok' });
    const planned = await eventually('the planned event', async () => {
      const relay = await Relay.connect(relayUrl());
      const [event] = await queryRelay(relay, [{ kinds: [30311], '#d': [body.stream_id] }]);
      relay.close();
      return event;
    });
    expect(planned.pubkey).toBe(host.pubkey);
    // Everyone else sees the mode and the author, not the session's health.
    const seen = await server.call<Record<string, unknown>>('GET', `/api/v1/streams/${body.stream_id}/status`, { as: viewer });
    expect(seen.body).toMatchObject({ signer: 'streamer', event_pubkey: host.pubkey });
    expect(seen.body).not.toHaveProperty('signer_status');
  });

  it('leaves service-signed streams as they were', async () => {
    const { status, body } = await create({ signer: undefined, bunker: undefined });
    expect(status).toBe(201);
    expect(body.stream).toMatchObject({ signer: 'service', event_pubkey: server.app.serviceKey.pubkey, signer_status: null });
  });

  it('refuses a bad bunker URI, a bunker for another key, and a bunker that never answers', async () => {
    expect((await create({ bunker: 'bunker://not-a-key' })).body.error).toBe('invalid_request');
    expect((await create({ bunker: undefined })).body.error).toBe('invalid_request');

    const other = await TestBunker.start(relayUrl(), generateSecretKey());
    try {
      const mismatch = await create({ bunker: other.uri });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.error).toBe('signer_mismatch');
    } finally {
      other.close();
    }

    const silent = `bunker://${getPublicKey(generateSecretKey())}?relay=${encodeURIComponent(relayUrl())}&secret=x`;
    const started = Date.now();
    const unreachable = await create({ bunker: silent });
    expect(unreachable.status).toBe(400);
    expect(unreachable.body.error).toBe('signer_unreachable');
    expect(unreachable.body.message).toMatch(/check that it is running/);
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it("applies the stream's chat rules to 30311:<streamer>:<id> and treats other pubkeys' coordinates as someone else's", async () => {
    const quiet = (await create({ enable_chat: false })).body.stream_id;
    const ours = liveEventCoordinate(host.pubkey, quiet);
    await expect(chat(viewer, ours, 'hello?')).rejects.toThrow(/^blocked: the host has turned chat off/);
    // The same id under the service's key or anyone else's is not this stream.
    await chat(viewer, liveEventCoordinate(server.app.serviceKey.pubkey, quiet), 'elsewhere');
    await chat(viewer, liveEventCoordinate(troll.pubkey, quiet), 'elsewhere too');

    const open = liveEventCoordinate(host.pubkey, (await create({})).body.stream_id);
    await chat(troll, open, 'first');
    await expect(publish(viewer, buildModeration({ stream: open, action: { type: 'ban', user: troll.pubkey } }, now()))).rejects.toThrow(
      /^blocked: only the host or a moderator/,
    );
    await publish(host, buildModeration({ stream: open, action: { type: 'ban', user: troll.pubkey } }, now()));
    await expect(chat(troll, open, 'again')).rejects.toThrow(/^blocked: the host has banned you/);

    const hidden = liveEventCoordinate(host.pubkey, (await create({ visibility: 'private' })).body.stream_id);
    await expect(chat(viewer, hidden, 'let me in')).rejects.toThrow(/^(blocked|auth-required|restricted):/);
  });
});

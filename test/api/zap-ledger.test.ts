import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifiedEvent } from 'nostr-tools/pure';
import type { StreamAnalytics } from '../../src/protocol/analytics.js';
import type { CreatedStream, StreamView, UserStreamsPage } from '../../src/protocol/api-views.js';
import { formatCoordinate, liveEventCoordinate, type Coordinate } from '../../src/protocol/coordinate.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { buildZapGoal } from '../../src/protocol/zap-goal.js';
import { buildZapRequest, descriptionHash } from '../../src/protocol/zap.js';
import { OurCoordinates } from '../../src/relay/policies/stream-directory.js';
import { LnurlKeys } from '../../src/zaps/lnurl-keys.js';
import { ZapLedger } from '../../src/zaps/zap-ledger.js';
import { ZapRepository } from '../../src/zaps/zap-repository.js';
import { TestBunker } from '../../testkit/bunker.js';
import { ENGINES } from '../../testkit/engines.js';
import { captureLogs } from '../../testkit/publishers.js';
import { testInvoice } from '../../testkit/lightning-invoice.js';
import { startLnurlWallet, type LnurlWallet } from '../../testkit/lnurl-wallet.js';
import { TestUser } from '../../testkit/nostr.js';
import { payZap } from '../../testkit/zap-http.js';
import { publishTo } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually } from '../../testkit/streams.js';

const now = () => Math.floor(Date.now() / 1000);

/**
 * The service's zap ledger over HTTP: real zaps (LNURL-pay, a real BOLT11, the test wallet's real
 * 9735 on our relay) counted in the stream's view, the lists, analytics and the goal's progress;
 * forged receipts and zaps to chatters left out of the host's total.
 */
describe.each(ENGINES)('zap ledger on %s', (engine) => {
  let server: TestServer;
  let relayUrl: string;
  const wallets: LnurlWallet[] = [];

  beforeAll(async () => {
    server = await startTestServer(engine);
    relayUrl = server.url.replace('http://', 'ws://');
  });
  afterAll(async () => {
    await Promise.all(wallets.map((wallet) => wallet.close()));
    await server?.destroy();
  });

  /** A user whose kind 0 names their own test wallet. */
  async function payable(name: string, user = new TestUser()): Promise<{ user: TestUser; wallet: LnurlWallet }> {
    const wallet = await startLnurlWallet(name);
    wallets.push(wallet);
    await publishTo(relayUrl, user.sign({ kind: 0, content: JSON.stringify({ name, lud16: wallet.lud16 }) }));
    return { user, wallet };
  }

  async function streamOf(host: TestUser): Promise<{ id: string; coordinate: Coordinate }> {
    const created = await createStream(server, host, { title: 'Zap night', category: 'music' });
    return { id: created.stream_id, coordinate: liveEventCoordinate(server.app.serviceKey.pubkey, created.stream_id) };
  }

  /** What a viewer's client does: an invoice from the recipient's LNURL callback for a signed zap request, paid by their wallet. */
  async function zap(
    from: TestUser,
    to: { user: TestUser; wallet: LnurlWallet },
    stream: Coordinate,
    sats: number,
    options: { comment?: string; event?: string } = {},
  ): Promise<VerifiedEvent> {
    return payZap(
      to.wallet,
      from.sign(buildZapRequest({ stream, recipient: to.user.pubkey, amountMsats: sats * 1000, relays: [relayUrl], ...options }, now())),
    );
  }

  const status = async (id: string) => (await server.call<StreamView>('GET', `/api/v1/streams/${id}/status`)).body;
  /** Analytics are the host's own: asked as the host. */
  const analytics = async (id: string, host: TestUser) => (await server.call<StreamAnalytics>('GET', `/api/v1/streams/${id}/analytics`, { as: host })).body;
  const totalIs = (id: string, sats: number) =>
    eventually(`zap_total_sats ${sats}`, async () => ((await status(id)).zap_total_sats === sats ? true : undefined));

  it('counts a valid zap in the stream view, the user list and analytics (count, total, top zappers, timeline)', async () => {
    const host = await payable('host');
    const [alice, bob] = [new TestUser(), new TestUser()];
    const stream = await streamOf(host.user);
    expect((await status(stream.id)).zap_total_sats).toBe(0);

    const first = await zap(alice, host, stream.coordinate, 21, { comment: 'great set' });
    await totalIs(stream.id, 21);
    const second = await zap(bob, host, stream.coordinate, 100, { comment: 'encore' });
    const third = await zap(alice, host, stream.coordinate, 5);
    await totalIs(stream.id, 126);

    const list = await server.call<UserStreamsPage>('GET', `/api/v1/streams/user/${host.user.pubkey}`);
    expect(list.body.streams.find((listed) => listed.stream_id === stream.id)?.zap_total_sats).toBe(126);

    const { zaps } = await analytics(stream.id, host.user);
    expect(zaps).toMatchObject({
      totalSats: 126,
      count: 3,
      topZappers: [
        { pubkey: bob.pubkey, sats: 100 },
        { pubkey: alice.pubkey, sats: 26 },
      ],
    });
    // Oldest first; zaps paid in the same second may come in either order.
    const times = zaps.timeline.map((entry) => entry.timestamp);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(zaps.timeline).toHaveLength(3);
    expect(zaps.timeline).toEqual(
      expect.arrayContaining([
        { timestamp: first.created_at, sats: 21, sender: alice.pubkey, comment: 'great set' },
        { timestamp: second.created_at, sats: 100, sender: bob.pubkey, comment: 'encore' },
        { timestamp: third.created_at, sats: 5, sender: alice.pubkey, comment: '' },
      ]),
    );
  });

  it('leaves out a receipt signed by another key and a zap to a chatter', async () => {
    const host = await payable('host');
    const chatter = await payable('chatter');
    const viewer = new TestUser();
    const stream = await streamOf(host.user);

    // A copy of a real receipt, signed by someone who is not the host's LNURL server.
    const real = await zap(viewer, host, stream.coordinate, 40);
    await totalIs(stream.id, 40);
    const forger = new TestUser();
    await publishTo(relayUrl, forger.sign({ kind: 9735, tags: real.tags.map((tag) => [...tag]), content: '' }));

    // A message zapped: its author is paid, not the host.
    const message = viewer.sign(buildLiveChat({ stream: stream.coordinate, content: 'nice riff' }, now()));
    await publishTo(relayUrl, message);
    await zap(viewer, chatter, stream.coordinate, 500, { event: message.id });

    await zap(viewer, host, stream.coordinate, 2);
    await totalIs(stream.id, 42);
    const { zaps } = await analytics(stream.id, host.user);
    expect(zaps).toMatchObject({ totalSats: 42, count: 2, topZappers: [{ pubkey: viewer.pubkey, sats: 42 }] });
    expect((await status(stream.id)).zap_total_sats).toBe(42);
  });

  it('checks the amount: a receipt by the right key whose invoice pays less than the zap request asked is not counted', async () => {
    // A host whose LNURL server is this test's own, so the test holds the key that signs receipts.
    const lnurlServer = new TestUser();
    const endpoint = await lnurlEndpoint(lnurlServer.pubkey);
    const host = new TestUser();
    await publishTo(relayUrl, host.sign({ kind: 0, content: JSON.stringify({ lud16: endpoint.lud16 }) }));
    const stream = await streamOf(host);
    const viewer = new TestUser();
    const receipt = (askedMsats: number, paidMsats: number) => {
      const request = JSON.stringify(
        viewer.sign(buildZapRequest({ stream: stream.coordinate, recipient: host.pubkey, amountMsats: askedMsats, relays: [relayUrl] }, now())),
      );
      const bolt11 = testInvoice({ amountMsats: paidMsats, descriptionHash: descriptionHash(request) });
      return lnurlServer.sign({
        kind: 9735,
        tags: [['p', host.pubkey], ['a', formatCoordinate(stream.coordinate)], ['bolt11', bolt11], ['description', request]],
      });
    };
    try {
      await publishTo(relayUrl, receipt(21_000, 1_000));
      await publishTo(relayUrl, receipt(7_000, 7_000));
      await totalIs(stream.id, 7);
      expect((await analytics(stream.id, host)).zaps).toMatchObject({ totalSats: 7, count: 1 });
    } finally {
      await endpoint.close();
    }
  });

  it('shows the goal’s progress: open, then reached by a zap; a zap before the goal and an unreached goal closed at the stop', async () => {
    const host = await payable('host');
    const viewer = new TestUser();
    const stream = await streamOf(host.user);
    const early = await zap(viewer, host, stream.coordinate, 30);
    await totalIs(stream.id, 30);

    const goal = host.user.sign(
      buildZapGoal({ amountMsats: 50_000, description: 'New mic', relays: [relayUrl], stream: stream.coordinate }, early.created_at + 1),
    );
    await publishTo(relayUrl, goal);
    const patched = await server.call<StreamView>('PATCH', `/api/v1/streams/${stream.id}`, { as: host.user, json: { goal: goal.id } });
    expect(patched.body.goal_progress).toEqual({
      id: goal.id,
      description: 'New mic',
      target_sats: 50,
      raised_sats: 0,
      status: 'open',
      closed_at: null,
    });

    await eventually('a second later than the goal', async () => (now() > goal.created_at ? true : undefined));
    await zap(viewer, host, stream.coordinate, 20);
    await totalIs(stream.id, 50);
    expect((await status(stream.id)).goal_progress).toMatchObject({ raised_sats: 20, status: 'open', closed_at: null });
    const reaching = await zap(viewer, host, stream.coordinate, 40);
    await totalIs(stream.id, 90);
    expect((await status(stream.id)).goal_progress).toMatchObject({ raised_sats: 60, status: 'reached', closed_at: reaching.created_at });

    // Another stream's goal, never reached, closes when the stream ends.
    const other = await createStream(server, host.user, { title: 'Short one', category: 'music' });
    const otherGoal = host.user.sign(buildZapGoal({ amountMsats: 1_000_000, description: 'Tour van', relays: [relayUrl] }, now()));
    await publishTo(relayUrl, otherGoal);
    await server.call('PATCH', `/api/v1/streams/${other.stream_id}`, { as: host.user, json: { goal: otherGoal.id } });
    await server.call('POST', '/api/v1/streams/auth', { json: { name: other.stream_key, call: 'publish' } });
    expect((await server.call('POST', `/api/v1/streams/${other.stream_id}/start`, { as: host.user })).status).toBe(200);
    expect((await status(other.stream_id)).goal_progress).toMatchObject({ status: 'open', raised_sats: 0 });
    const stopped = await server.call<StreamView>('POST', `/api/v1/streams/${other.stream_id}/stop`, { as: host.user });
    expect(stopped.body.ended_at).not.toBeNull();
    expect(stopped.body.goal_progress).toMatchObject({ status: 'closed', raised_sats: 0, closed_at: stopped.body.ended_at });
  });

  it('counts zaps to a streamer-signed stream’s own coordinate (not the service’s), and counts its chat there', async () => {
    const host = await payable('host');
    const bunker = await TestBunker.start(relayUrl, host.user.secret);
    try {
      const created = await server.call<CreatedStream>('POST', '/api/v1/streams/create', {
        as: host.user,
        json: { title: 'Signed by me', category: 'music', signer: 'streamer', bunker: bunker.uri },
      });
      expect(created.status).toBe(201);
      const id = created.body.stream_id;
      const own = liveEventCoordinate(host.user.pubkey, id);
      const viewer = new TestUser();
      for (const text of ['hello', 'what a set']) await publishTo(relayUrl, viewer.sign(buildLiveChat({ stream: own, content: text }, now())));

      await zap(viewer, host, liveEventCoordinate(server.app.serviceKey.pubkey, id), 1_000);
      await zap(viewer, host, own, 64);
      await totalIs(id, 64);
      expect(await analytics(id, host.user)).toMatchObject({ chatMessages: 2, zaps: { totalSats: 64, count: 1 } });
    } finally {
      bunker.close();
    }
  });

  it('records a receipt that came while its recipient’s wallet was unknown once the ledger reconciles, and logs the refusal at debug', async () => {
    const host = new TestUser();
    const wallet = await startLnurlWallet('late');
    wallets.push(wallet);
    const stream = await streamOf(host);
    // The host's kind 0 is never published: this ledger learns their lightning address only later.
    let lud16: string | undefined;
    const logs = captureLogs();
    const ledger = new ZapLedger({
      ours: new OurCoordinates(server.app.serviceKey.pubkey),
      keys: new LnurlKeys({ get: async () => (lud16 === undefined ? {} : { lud16 }) }),
      zaps: new ZapRepository(server.app.database.db),
      store: server.app.relay.store,
      hasStream: async () => true,
      logger: logs.logger,
    });
    server.app.relay.onEvent((event) => ledger.observe(event));
    try {
      const receipt = await zap(new TestUser(), { user: host, wallet }, stream.coordinate, 12);
      await eventually('the refusal in the log', async () => (logs.text().includes(receipt.id) ? true : undefined));
      const line = logs.text().split('\n').find((entry) => entry.includes(receipt.id)) ?? '';
      expect(JSON.parse(line)).toMatchObject({ level: 20, msg: 'zap receipt not counted', reason: expect.stringContaining('names no lightning address') });
      expect((await status(stream.id)).zap_total_sats).toBe(0);

      lud16 = wallet.lud16;
      await ledger.reconcile(stream.id);
      expect((await status(stream.id)).zap_total_sats).toBe(12);
    } finally {
      await ledger.close();
    }
  });

  it('shows no progress for a goal id that is not a kind 9041 by the host', async () => {
    const host = await payable('host');
    const stream = await streamOf(host.user);
    const someoneElse = new TestUser().sign(buildZapGoal({ amountMsats: 10_000, description: 'Not theirs', relays: [relayUrl] }, now()));
    await publishTo(relayUrl, someoneElse);
    const patched = await server.call<StreamView>('PATCH', `/api/v1/streams/${stream.id}`, { as: host.user, json: { goal: someoneElse.id } });
    expect(patched.body).toMatchObject({ goal: someoneElse.id, goal_progress: null });
  });
});

/** An LNURL-pay endpoint that names `nostrPubkey` as its receipt key (its callback is never called here). */
async function lnurlEndpoint(nostrPubkey: string): Promise<{ lud16: string; close(): Promise<void> }> {
  const http: Server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({ tag: 'payRequest', callback: 'http://127.0.0.1:9/callback', minSendable: 1000, maxSendable: 1e8, metadata: '[]', allowsNostr: true, nostrPubkey }),
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    lud16: `wallet@127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}

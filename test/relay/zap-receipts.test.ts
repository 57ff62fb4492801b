import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCoordinate, liveEventCoordinate, type Coordinate } from '../../src/protocol/coordinate.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { buildModeration } from '../../src/protocol/moderation.js';
import { buildZapRequest, validateZapReceipt } from '../../src/protocol/zap.js';
import { NO_SUCH_STREAM } from '../../src/relay/policies/stream-directory.js';
import { SqlEventStore } from '../../src/relay/store/sql-event-store.js';
import { ENGINES } from '../../testkit/engines.js';
import { startLnurlWallet, type LnurlWallet } from '../../testkit/lnurl-wallet.js';
import { TestUser } from '../../testkit/nostr.js';
import { fetchZapInvoice } from '../../testkit/zap-http.js';
import type { Filter } from 'nostr-tools/filter';
import { publishTo, queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';

const now = () => Math.floor(Date.now() / 1000);

/**
 * A zap end to end against the test wallet (LNURL-pay over HTTP, a real BOLT11, a real 9735
 * published to our relay), and the relay keeping receipts and goals whatever the chat rules say:
 * a paid zap is the payer's right to be seen.
 */
describe.each(ENGINES)('zap receipts and goals on %s', (engine) => {
  let server: TestServer;
  let wallet: LnurlWallet;
  let relay: Relay;
  const host = new TestUser();
  const viewer = new TestUser();

  beforeAll(async () => {
    server = await startTestServer(engine);
    wallet = await startLnurlWallet('streamer');
    relay = await Relay.connect(relayUrl());
  });
  afterAll(async () => {
    relay?.close();
    await wallet?.close();
    await server?.destroy();
  });

  const relayUrl = () => server.url.replace('http://', 'ws://');
  async function stream(enableChat: boolean, visibility: 'public' | 'private' = 'public'): Promise<Coordinate> {
    const { body } = await server.call<{ stream_id: string }>('POST', '/api/v1/streams/create', {
      as: host,
      json: { title: 'Zaps', category: 'talk', enable_chat: enableChat, visibility },
    });
    return liveEventCoordinate(server.app.serviceKey.pubkey, body.stream_id);
  }

  /** What the web app does: the host's LNURL-pay endpoint, then an invoice for a signed zap request. */
  async function invoiceFor(target: Coordinate, amountMsats: number, options: { event?: string; askMsats?: number } = {}) {
    const request = viewer.sign(
      buildZapRequest(
        { stream: target, recipient: host.pubkey, amountMsats, relays: [relayUrl()], comment: 'great set', ...(options.event ? { event: options.event } : {}) },
        now(),
      ),
    );
    const { params, status, body } = await fetchZapInvoice(wallet, request, options.askMsats);
    expect(params).toMatchObject({ allowsNostr: true, nostrPubkey: wallet.nostrPubkey });
    return { status, body };
  }

  it('stores a paid zap receipt and serves it by #a, #p and #e', async () => {
    const target = await stream(true);
    const message = viewer.sign(buildLiveChat({ stream: target, content: 'zap me' }, now()));
    await publishTo(relayUrl(), message);
    const { body } = await invoiceFor(target, 21_000, { event: message.id });
    const { receipt } = await wallet.pay(body.pr ?? '');
    if (!receipt) throw new Error('the wallet published no receipt');

    for (const filter of [{ '#a': [formatCoordinate(target)] }, { '#p': [host.pubkey] }, { '#e': [message.id] }]) {
      const found = await queryRelay(relay, [{ kinds: [9735], ...filter }]);
      expect(found.map((event) => event.id)).toContain(receipt.id);
    }
    const [stored] = await queryRelay(relay, [{ ids: [receipt.id] }]);
    expect(validateZapReceipt(stored!, { nostrPubkey: wallet.nostrPubkey, stream: formatCoordinate(target) })).toMatchObject({
      ok: true,
      value: { sender: viewer.pubkey, recipient: host.pubkey, amountMsats: 21_000, comment: 'great set', event: message.id },
    });
  });

  it('keeps receipts for a stream whose chat is off, and for a payer the host banned', async () => {
    const quiet = await stream(false);
    const first = await invoiceFor(quiet, 5_000);
    // Paid over the wallet's HTTP pay endpoint, as the browser's WebLN stand-in pays.
    const paid = await fetch(`${wallet.url}/pay`, { method: 'POST', body: JSON.stringify({ invoice: first.body.pr }) });
    const { receipt: offReceipt } = (await paid.json()) as { receipt: string };

    const open = await stream(true);
    await publishTo(relayUrl(), host.sign(buildModeration({ stream: open, action: { type: 'ban', user: viewer.pubkey } }, now())));
    await expect(publishTo(relayUrl(), viewer.sign(buildLiveChat({ stream: open, content: 'let me in' }, now())))).rejects.toThrow(/^blocked:/);
    const second = await invoiceFor(open, 5_000);
    const { receipt: bannedReceipt } = await wallet.pay(second.body.pr ?? '');

    const stored = await queryRelay(relay, [{ kinds: [9735], '#a': [formatCoordinate(quiet), formatCoordinate(open)] }]);
    expect(stored.map((event) => event.id)).toEqual(expect.arrayContaining([offReceipt, bannedReceipt?.id]));
  });

  it('stops serving a receipt the host removed (kind 9005 naming it), to every later REQ', async () => {
    const target = await stream(true);
    const { body } = await invoiceFor(target, 8_000);
    const { receipt } = await wallet.pay(body.pr ?? '');
    if (!receipt) throw new Error('the wallet published no receipt');
    const receiptsFor = async (filters: Filter[]) => (await queryRelay(relay, filters)).map((event) => event.id);
    expect(await receiptsFor([{ kinds: [9735], '#a': [formatCoordinate(target)] }])).toEqual([receipt.id]);

    // A viewer cannot hide it: only the host or a moderator moderates the chat the zap shows in.
    const removal = (author: TestUser) => author.sign(buildModeration({ stream: target, action: { type: 'remove', messages: [receipt.id] } }, now()));
    await expect(publishTo(relayUrl(), removal(viewer))).rejects.toThrow(/^blocked: only the host or a moderator/);
    expect(await receiptsFor([{ ids: [receipt.id] }])).toEqual([receipt.id]);

    await publishTo(relayUrl(), removal(host));
    const other = await Relay.connect(relayUrl());
    try {
      for (const filter of [{ kinds: [9735], '#a': [formatCoordinate(target)] }, { '#p': [host.pubkey] }, { ids: [receipt.id] }]) {
        expect((await queryRelay(other, [filter])).map((event) => event.id)).not.toContain(receipt.id);
      }
    } finally {
      other.close();
    }
  });

  it('refuses a real receipt for a private stream with the words any stranger’s write to it gets', async () => {
    const secret = await stream(true, 'private');
    const refusal = new RegExp(`^${NO_SUCH_STREAM}$`);
    await expect(publishTo(relayUrl(), viewer.sign(buildLiveChat({ stream: secret, content: 'hello?' }, now())))).rejects.toThrow(refusal);

    const { status, body } = await invoiceFor(secret, 3_000);
    expect(status).toBe(200);
    // The wallet publishes the receipt to the relays the zap request names: ours refuses it, and keeps nothing.
    await expect(wallet.pay(body.pr ?? '')).rejects.toThrow(refusal);
    const stored = await new SqlEventStore(server.app.database.db).query([{ kinds: [9735], '#a': [formatCoordinate(secret)] }], 10);
    expect(stored).toEqual([]);
  });

  it('refuses to issue an invoice for another amount than the zap request asks, and to pay one it did not issue', async () => {
    const answer = await invoiceFor(await stream(true), 21_000, { askMsats: 10_000 });
    expect(answer).toEqual({ status: 400, body: { status: 'ERROR', reason: 'amount does not match the zap request' } });
    const paid = await fetch(`${wallet.url}/pay`, { method: 'POST', body: JSON.stringify({ invoice: 'lnbcrt1' }) });
    expect({ status: paid.status, body: await paid.json() }).toEqual({
      status: 400,
      body: { status: 'ERROR', reason: 'this wallet did not issue that invoice' },
    });
  });

  it('stores and serves the host’s kind 9041 goal for a stream', async () => {
    const target = await stream(true);
    const goal = host.sign({
      kind: 9041,
      tags: [['relays', relayUrl()], ['amount', '210000'], ['a', formatCoordinate(target)]],
      content: 'New guitar',
    });
    await publishTo(relayUrl(), goal);
    const found = await queryRelay(relay, [{ kinds: [9041], authors: [host.pubkey] }]);
    expect(found.map((event) => event.id)).toEqual([goal.id]);
  });
});

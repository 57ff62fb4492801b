import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamAnalytics } from '../../src/protocol/analytics.js';
import type { StreamView } from '../../src/protocol/api-views.js';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { buildZapRequest } from '../../src/protocol/zap.js';
import { startLnurlWallet, type LnurlWallet } from '../../testkit/lnurl-wallet.js';
import { TestUser } from '../../testkit/nostr.js';
import { payZap } from '../../testkit/zap-http.js';
import { createScratchDatabase } from '../../testkit/postgres.js';
import { publishTo } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { createStream, eventually } from '../../testkit/streams.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The zap ledger on two nodes (one PostgreSQL, one Redis): both see every receipt, both record
 * it, and the one row they share counts once, whichever node is asked.
 */
describe('zap ledger on two nodes', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let nodeA: TestServer;
  let nodeB: TestServer;
  let wallet: LnurlWallet;
  const lines: string[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const log = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const env = { DATABASE_URL: scratch.url, REDIS_URL };
    nodeA = await startTestServer('sqlite', { env, log });
    nodeB = await startTestServer('sqlite', { env, log });
    wallet = await startLnurlWallet('host');
  });
  afterAll(async () => {
    await wallet?.close();
    await nodeA?.destroy();
    await nodeB?.destroy();
    await scratch?.drop();
  });

  it('counts a zap published on node A once, on node B too', async () => {
    const host = new TestUser();
    const relayA = nodeA.url.replace('http://', 'ws://');
    await publishTo(relayA, host.sign({ kind: 0, content: JSON.stringify({ name: 'Host', lud16: wallet.lud16 }) }));
    const stream = await createStream(nodeA, host, { title: 'Both nodes', category: 'music' });
    await payZap(
      wallet,
      new TestUser().sign(
        buildZapRequest(
          { stream: liveEventCoordinate(nodeA.app.serviceKey.pubkey, stream.stream_id), recipient: host.pubkey, amountMsats: 77_000, relays: [relayA] },
          Math.floor(Date.now() / 1000),
        ),
      ),
    );

    await eventually('the total on node B', async () => {
      const { body } = await nodeB.call<StreamView>('GET', `/api/v1/streams/${stream.stream_id}/status`);
      return body.zap_total_sats === 77 ? true : undefined;
    });
    for (const node of [nodeA, nodeB]) {
      const { body } = await node.call<StreamAnalytics>('GET', `/api/v1/streams/${stream.stream_id}/analytics`, { as: host });
      expect(body.zaps).toMatchObject({ totalSats: 77, count: 1 });
    }
    // Both nodes inserted the same receipt: the second insert is a no-op, not an error.
    expect(lines.filter((line) => line.includes('recording a zap receipt failed'))).toEqual([]);
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { BrowserSuite } from './browser-suite.js';
import { startLnurlWallet, type LnurlWallet } from './lnurl-wallet.js';
import type { TestUser } from './nostr.js';
import { publishTo } from './relay-client.js';
import type { TestServer } from './server.js';
import { createStream, type Created } from './streams.js';
import { started } from './suites.js';

/** Opens the Zap dialog, picks `sats` (typed), writes the comment and sends. */
export async function zapInPage(page: Page, sats: number, comment: string): Promise<void> {
  await page.getByRole('button', { name: 'Zap', exact: true }).click();
  await page.getByLabel('Amount (sats)').fill(String(sats));
  await page.getByLabel('Comment (optional)').fill(comment);
  await page.getByRole('button', { name: `Zap ${sats} sats` }).click();
}

/**
 * A host who can be zapped: their own test wallet, a kind 0 naming it as their lightning
 * address, and a stream of theirs (`stream` carries its key, to go live). Close the wallet when the suite ends.
 */
export async function zappableStream(
  server: TestServer,
  host: TestUser,
  profile: { name: string; title: string },
): Promise<{ wallet: LnurlWallet; streamId: string; stream: Created }> {
  const wallet = await startLnurlWallet('host');
  await publishTo(server.url.replace('http://', 'ws://'), host.sign({ kind: 0, content: JSON.stringify({ name: profile.name, lud16: wallet.lud16 }) }));
  const stream = await createStream(server, host, { title: `${profile.title} ${Date.now()}` });
  return { wallet, streamId: stream.stream_id, stream };
}

/** A zappable stream made once for a test file (`zappableStream`), its wallet closed when the file is done. */
export interface ZappableStreamFixture {
  readonly wallet: LnurlWallet;
  readonly streamId: string;
  readonly stream: Created;
}

/**
 * `zappableStream` for a browser test file: made before its tests, the wallet closed after.
 * Call it in the describe block, after `useBrowserSuite`; read its fields inside tests and hooks.
 *
 *   const zappable = useZappableStream(suite, new TestUser(host.secret), { name: 'DJ Zappy', title: 'Zap me' });
 *   it('…', async () => { await page.goto(`${suite.server.url}/s/${zappable.streamId}`); });
 */
export function useZappableStream(suite: BrowserSuite, host: TestUser, profile: { name: string; title: string }): ZappableStreamFixture {
  let made: Awaited<ReturnType<typeof zappableStream>> | undefined;
  beforeAll(async () => {
    made = await zappableStream(suite.server, host, profile);
  }, 60_000);
  afterAll(async () => {
    await made?.wallet.close();
  });
  return {
    get wallet() {
      return started(made, 'zappable stream').wallet;
    },
    get streamId() {
      return started(made, 'zappable stream').streamId;
    },
    get stream() {
      return started(made, 'zappable stream').stream;
    },
  };
}

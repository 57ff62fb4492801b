import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tagValue } from '../../src/protocol/nostr-event.js';
import { encodeLnurl, parseZapRequestJson } from '../../src/protocol/zap.js';
import { shortNpub } from '../../src/protocol/short-npub.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { startLnurlWallet, type LnurlWallet } from '../../testkit/lnurl-wallet.js';
import { TestUser } from '../../testkit/nostr.js';
import { startNwcWallet, type NwcWallet } from '../../testkit/nwc-wallet.js';
import { publishTo, queryRelay, Relay } from '../../testkit/relay-client.js';
import { started } from '../../testkit/suites.js';
import { zapInPage as zap, useZappableStream } from '../../testkit/zap-page.js';

/** Paying zaps through a Nostr Wallet Connect (NIP-47) wallet saved in the settings, for a viewer whose browser has no WebLN. */
describe('zaps paid with Nostr Wallet Connect', () => {
  const suite = useBrowserSuite();
  const ws = () => suite.server.url.replace('http://', 'ws://');
  const host = () => new URL(suite.server.url).host;
  const zappable = useZappableStream(suite, new TestUser(), { name: 'DJ Connect', title: 'Zap me over NWC' });
  let stranger: LnurlWallet | undefined;
  const nwcWallets: NwcWallet[] = [];

  beforeAll(async () => {
    stranger = await startLnurlWallet('stranger');
  });
  afterAll(async () => {
    for (const nwc of nwcWallets) nwc.close();
    await stranger?.close();
  });

  /** A viewer named `name`, signed in on the wallet settings page. */
  async function viewerOnWalletSettings(name: string): Promise<Page> {
    const viewer = new BrowserUser();
    await publishTo(ws(), new TestUser(viewer.secret).sign({ kind: 0, content: JSON.stringify({ name }) }));
    const page = await (await viewer.context(suite.browser)).newPage();
    await page.goto(suite.server.url);
    await signInWithExtension(page);
    await page.goto(`${suite.server.url}/settings/wallet`);
    return page;
  }

  async function connect(page: Page, uri: string): Promise<void> {
    await page.getByLabel('Connection string').fill(uri);
    await page.getByRole('button', { name: 'Connect wallet' }).click();
  }

  async function startNwc(paying: LnurlWallet): Promise<NwcWallet> {
    const nwc = await startNwcWallet(paying, ws());
    nwcWallets.push(nwc);
    return nwc;
  }

  it('saves the connection (a malformed one refused in words) and zaps through it: paid by the wallet, the receipt on our relay and in the chat', { timeout: 120_000 }, async () => {
    const lnurl = zappable.wallet;
    const nwc = await startNwc(lnurl);
    const secret = new URL(nwc.connectionUri).searchParams.get('secret') ?? '';
    const page = await viewerOnWalletSettings('Nora NWC');
    // The connection's secret spends from the wallet: nothing this page sends may carry it.
    const leaks: string[] = [];
    page.on('request', (request) => {
      if (`${request.url()} ${request.postData() ?? ''}`.includes(secret)) leaks.push(request.url());
    });
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        if (String(payload).includes(secret)) leaks.push(socket.url());
      }),
    );

    await connect(page, `nostr+walletconnect://abc123?relay=${encodeURIComponent(ws())}&secret=${secret}`);
    expect(await page.getByRole('alert').textContent()).toBe('The wallet key after nostr+walletconnect:// must be 64 hex characters.');
    await connect(page, nwc.connectionUri);
    const walletPubkey = new URL(nwc.connectionUri).host;
    expect(await page.getByTestId('nwc-connected').textContent()).toBe(`Connected: ${host()}, ${shortNpub(walletPubkey)}`);
    await expect.poll(() => page.getByTestId('nwc-offer').textContent(), { timeout: 15_000 }).toBe('Your wallet can pay invoices (pay_invoice).');
    await screenshot(page, 'zap-nwc-1-settings');

    await page.goto(`${suite.server.url}/s/${zappable.streamId}`);
    await page.getByRole('button', { name: 'Zap', exact: true }).waitFor({ timeout: 20_000 });
    await zap(page, 50, 'Paid from my NWC wallet');
    const done = page.getByRole('status').filter({ hasText: 'Zapped!' });
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toBe(`⚡ Zapped!Paid through your wallet (Nostr Wallet Connect, ${host()}).`);
    await screenshot(page, 'zap-nwc-2-paid');
    await page.keyboard.press('Escape');

    const line = page.locator('aside').getByTestId('chat-zap');
    await expect.poll(() => line.count(), { timeout: 20_000 }).toBe(1);
    expect(await line.textContent()).toMatch(/Nora NWC.*zapped 50 sats.*Paid from my NWC wallet/);
    expect(nwc.requests).toEqual([{ method: 'pay_invoice' }]);

    const receipt = started(lnurl.receipts[0], 'receipt');
    const relay = await Relay.connect(ws());
    try {
      expect((await queryRelay(relay, [{ ids: [receipt.id] }])).map((event) => event.id)).toEqual([receipt.id]);
    } finally {
      relay.close();
    }
    // NIP-57 appendix A: the zap request names the recipient's LNURL-pay endpoint, bech32 encoded.
    const request = parseZapRequestJson(tagValue(receipt, 'description') ?? '');
    expect(request.ok && tagValue(request.value, 'lnurl')).toBe(encodeLnurl(lnurl.payUrl));
    expect(leaks).toEqual([]);
  });

  it('shows a wallet’s refusal and falls back to the QR; after Remove, zaps go straight to the QR', { timeout: 120_000 }, async () => {
    const lnurl = zappable.wallet;
    // A wallet with no route to the host's invoices, as a real one whose payment fails.
    const failing = await startNwc(started(stranger, 'stranger wallet'));
    const page = await viewerOnWalletSettings('Failing Fay');
    await connect(page, failing.connectionUri);
    await page.getByTestId('nwc-connected').waitFor();

    await page.goto(`${suite.server.url}/s/${zappable.streamId}`);
    await page.getByRole('button', { name: 'Zap', exact: true }).waitFor({ timeout: 20_000 });
    await zap(page, 21, 'Second try');
    await page.getByTestId('zap-qr').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('alert').textContent()).toBe(
      'Your wallet did not pay: no route to the payee: this wallet did not issue that invoice (PAYMENT_FAILED). Pay the invoice below with another wallet instead.',
    );
    expect(failing.requests).toEqual([{ method: 'pay_invoice', error: 'PAYMENT_FAILED' }]);
    await screenshot(page, 'zap-nwc-3-refused');
    await lnurl.pay(await page.getByTestId('zap-invoice').inputValue());
    const done = page.getByRole('status').filter({ hasText: 'Zapped!' });
    await done.waitFor({ timeout: 20_000 });
    expect(await done.textContent()).toBe('⚡ Zapped!');
    await page.keyboard.press('Escape');

    await page.goto(`${suite.server.url}/settings/wallet`);
    const stored = () => page.evaluate<string>('JSON.stringify(window.localStorage)');
    const secret = new URL(failing.connectionUri).searchParams.get('secret') ?? '';
    expect(await stored()).toContain(secret);
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByLabel('Connection string').waitFor();
    expect(await stored()).not.toContain(secret);

    await page.goto(`${suite.server.url}/s/${zappable.streamId}`);
    await page.getByRole('button', { name: 'Zap', exact: true }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Zap', exact: true }).click();
    expect(await page.getByTestId('zap-no-wallet').textContent()).toBe('You will get a QR code to pay with your phone’s wallet. Connect a wallet to pay from here.');
    await page.keyboard.press('Escape');
    await zap(page, 21, 'Third try');
    await page.getByTestId('zap-qr').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(failing.requests).toHaveLength(1);
  });
});

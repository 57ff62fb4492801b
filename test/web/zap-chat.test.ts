import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { startLnurlWallet, weblnInitScript, type LnurlWallet } from '../../testkit/lnurl-wallet.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo } from '../../testkit/relay-client.js';
import { started } from '../../testkit/suites.js';
import { createStream } from '../../testkit/streams.js';
import { zapInPage } from '../../testkit/zap-page.js';

/** The host's side of zaps: they cannot zap themselves, and their dashboard lists every zap and the total. */
describe('zaps for the host', () => {
  const suite = useBrowserSuite();
  const host = new BrowserUser();
  const ws = () => suite.server.url.replace('http://', 'ws://');
  let wallet: LnurlWallet | undefined;
  let streamId = '';

  beforeAll(async () => {
    wallet = await startLnurlWallet('host');
    await publishTo(ws(), new TestUser(host.secret).sign({ kind: 0, content: JSON.stringify({ name: 'Host Hana', lud16: wallet.lud16 }) }));
    streamId = (await createStream(suite.server, new TestUser(host.secret), { title: `Zap the host ${Date.now()}` })).stream_id;
  }, 60_000);
  afterAll(async () => {
    await wallet?.close();
  });

  it('disables the host’s own Zap button; a viewer’s WebLN zap shows on the host’s dashboard with the total', { timeout: 120_000 }, async () => {
    const lnurl = started(wallet, 'wallet');
    const own = await (await host.context(suite.browser)).newPage();
    await own.goto(`${suite.server.url}/s/${streamId}`);
    await signInWithExtension(own);
    await expect.poll(() => own.getByTestId('zap-unavailable').textContent(), { timeout: 20_000 }).toBe('This is your stream');
    expect(await own.getByRole('button', { name: 'Zap', exact: true }).isDisabled()).toBe(true);

    const dashboard = await own.context().newPage();
    await dashboard.goto(`${suite.server.url}/dashboard/${streamId}`);
    await dashboard.getByText('No zaps yet.').waitFor({ timeout: 20_000 });

    const viewer = new BrowserUser();
    await publishTo(ws(), new TestUser(viewer.secret).sign({ kind: 0, content: JSON.stringify({ name: 'Viewer Vic' }) }));
    const context = await viewer.context(suite.browser);
    await context.addInitScript(weblnInitScript(lnurl));
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/s/${streamId}`);
    await signInWithExtension(page);
    await zapInPage(page, 42, 'For the host');
    await page.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });

    const listed = dashboard.getByTestId('dashboard-zap');
    await expect.poll(() => listed.count(), { timeout: 20_000 }).toBe(1);
    expect(await listed.textContent()).toMatch(/Viewer Vic.*42 sats.*For the host/);
    expect(await dashboard.getByTestId('zap-total').textContent()).toContain('42 sats');
    expect(await dashboard.getByTestId('top-zapper').first().textContent()).toMatch(/Viewer Vic.*42/);
    await screenshot(dashboard, 'zap-chat-1-dashboard');
  });
});

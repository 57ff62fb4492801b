import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { weblnInitScript } from '../../testkit/lnurl-wallet.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo } from '../../testkit/relay-client.js';
import { started } from '../../testkit/suites.js';
import { createStream } from '../../testkit/streams.js';
import { zapInPage as zap, useZappableStream } from '../../testkit/zap-page.js';

/** The Zap button on the stream page: the host is paid from their kind 0's lightning address, and valid receipts show in the chat, the total and the top zappers. */
describe('zaps on the stream page', () => {
  const suite = useBrowserSuite();
  const streamer = new TestUser();
  const ws = () => suite.server.url.replace('http://', 'ws://');
  const zappable = useZappableStream(suite, streamer, { name: 'DJ Zappy', title: 'Zap me' });

  it('zaps 100 sats with WebLN: the zap shows in two browsers’ chat, the total reads 100 and the viewer tops the zappers', { timeout: 120_000 }, async () => {
    const lnurl = zappable.wallet;
    const viewer = new BrowserUser();
    await publishTo(ws(), new TestUser(viewer.secret).sign({ kind: 0, content: JSON.stringify({ name: 'Viewer Vic' }) }));
    const context = await viewer.context(suite.browser);
    await context.addInitScript(weblnInitScript(lnurl));
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/s/${zappable.streamId}`);
    const other = await (await new BrowserUser().context(suite.browser)).newPage();
    await other.goto(`${suite.server.url}/s/${zappable.streamId}`);
    // Signed out, the Zap button is a sign-in.
    await page.getByRole('button', { name: 'Sign in to zap' }).waitFor({ timeout: 20_000 });
    await signInWithExtension(page);

    await zap(page, 100, 'Great set!');
    await page.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'zaps-1-webln-zapped');
    await page.keyboard.press('Escape');

    for (const shown of [page, other]) {
      const line = shown.locator('aside').getByTestId('chat-zap');
      await expect.poll(() => line.count(), { timeout: 20_000 }).toBe(1);
      expect(await line.textContent()).toMatch(/Viewer Vic.*zapped 100 sats.*Great set!/);
      await expect.poll(() => shown.getByTestId('zap-total').textContent(), { timeout: 15_000 }).toContain('100 sats');
      expect(await shown.getByTestId('top-zapper').first().textContent()).toMatch(/Viewer Vic.*100/);
    }
    await screenshot(other, 'zaps-2-other-viewer');
    expect(lnurl.receipts).toHaveLength(1);

    // The same receipt signed by someone else than the host's LNURL server is not believed.
    const real = started(lnurl.receipts[0], 'receipt');
    await publishTo(ws(), new TestUser().sign({ kind: real.kind, tags: real.tags, content: real.content }));
    await other.waitForTimeout(1500);
    expect(await other.locator('aside').getByTestId('chat-zap').count()).toBe(1);
    expect(await other.getByTestId('zap-total').textContent()).toContain('100 sats');
  });

  it('without WebLN shows the invoice as a QR code to copy, and says Zapped! once the invoice is paid', { timeout: 120_000 }, async () => {
    const lnurl = zappable.wallet;
    const viewer = new BrowserUser();
    const page = await (await viewer.context(suite.browser)).newPage();
    await page.goto(`${suite.server.url}/s/${zappable.streamId}`);
    await signInWithExtension(page);
    await zap(page, 21, 'From my phone wallet');
    await page.getByTestId('zap-qr').waitFor({ timeout: 20_000 });
    await page.getByRole('status').filter({ hasText: 'Waiting for payment…' }).waitFor();
    await page.getByRole('button', { name: 'Copy invoice' }).waitFor();
    const invoice = await page.getByTestId('zap-invoice').inputValue();
    expect(invoice).toMatch(/^ln/);
    // A phone cannot scan its own screen: the same invoice goes to its wallet app as a lightning: link.
    expect(await page.getByRole('link', { name: 'Open in wallet app' }).getAttribute('href')).toBe(`lightning:${invoice}`);
    await screenshot(page, 'zaps-3-qr');

    await lnurl.pay(invoice);
    await page.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('zap-total').textContent(), { timeout: 15_000 }).toContain('121 sats');
  });

  it('says the host has no lightning address instead of failing', { timeout: 60_000 }, async () => {
    const broke = new TestUser();
    await publishTo(ws(), broke.sign({ kind: 0, content: JSON.stringify({ name: 'No Wallet Nick' }) }));
    const id = (await createStream(suite.server, broke, { title: 'No wallet' })).stream_id;
    const viewer = new BrowserUser();
    const page = await (await viewer.context(suite.browser)).newPage();
    await page.goto(`${suite.server.url}/s/${id}`);
    await signInWithExtension(page);
    await expect.poll(() => page.getByTestId('zap-unavailable').textContent(), { timeout: 20_000 }).toBe('No Wallet Nick has no lightning address yet');
    expect(await page.getByRole('button', { name: 'Zap', exact: true }).isDisabled()).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { startLnurlWallet, weblnInitScript } from '../../testkit/lnurl-wallet.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo, queryRelay, Relay } from '../../testkit/relay-client.js';
import { started } from '../../testkit/suites.js';

import { zapInPage, useZappableStream } from '../../testkit/zap-page.js';

/** The host's side of zaps: they cannot zap themselves, and their dashboard lists every zap and the total. */
describe('zaps for the host', () => {
  const suite = useBrowserSuite();
  const host = new BrowserUser();
  const ws = () => suite.server.url.replace('http://', 'ws://');
  const zappable = useZappableStream(suite, new TestUser(host.secret), { name: 'Host Hana', title: 'Zap the host' });

  it('disables the host’s own Zap button; a viewer’s WebLN zap shows on the host’s dashboard with the total', { timeout: 120_000 }, async () => {
    const lnurl = zappable.wallet;
    const own = await (await host.context(suite.browser)).newPage();
    await own.goto(`${suite.server.url}/s/${zappable.streamId}`);
    await signInWithExtension(own);
    await expect.poll(() => own.getByTestId('zap-unavailable').textContent(), { timeout: 20_000 }).toBe('This is your stream');
    expect(await own.getByRole('button', { name: 'Zap', exact: true }).isDisabled()).toBe(true);

    const dashboard = await own.context().newPage();
    await dashboard.goto(`${suite.server.url}/dashboard/${zappable.streamId}`);
    await dashboard.getByText('No zaps yet.').waitFor({ timeout: 20_000 });

    const viewer = new BrowserUser();
    await publishTo(ws(), new TestUser(viewer.secret).sign({ kind: 0, content: JSON.stringify({ name: 'Viewer Vic' }) }));
    const context = await viewer.context(suite.browser);
    await context.addInitScript(weblnInitScript(lnurl));
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/s/${zappable.streamId}`);
    await signInWithExtension(page);
    await zapInPage(page, 42, 'For the host');
    await page.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });

    const listed = dashboard.getByTestId('dashboard-zap');
    await expect.poll(() => listed.count(), { timeout: 20_000 }).toBe(1);
    // The zapper's name arrives with their profile, after the zap itself: until then the row shows the npub.
    await expect.poll(() => listed.textContent(), { timeout: 15_000 }).toMatch(/Viewer Vic.*42 sats.*For the host/);
    expect(await dashboard.getByTestId('zap-total').textContent()).toContain('42 sats');
    await expect.poll(() => dashboard.getByTestId('top-zapper').first().textContent()).toMatch(/Viewer Vic.*42/);
    await screenshot(dashboard, 'zap-chat-1-dashboard');
  });

  it('zaps a chatter’s message with WebLN: the zap line names both, and the receipt carries the stream, the chatter and the message', { timeout: 120_000 }, async () => {
    const sams = await startLnurlWallet('sam');
    try {
      const sam = new BrowserUser();
      await publishTo(ws(), new TestUser(sam.secret).sign({ kind: 0, content: JSON.stringify({ name: 'Sam Chatter', lud16: sams.lud16 }) }));
      const chatter = await (await sam.context(suite.browser)).newPage();
      await chatter.goto(`${suite.server.url}/s/${zappable.streamId}`);
      await signInWithExtension(chatter);
      // Their own message offers them no zap.
      await chatter.locator('aside').getByLabel('Message').fill('Zap me for this one');
      await chatter.locator('aside').getByRole('button', { name: 'Send' }).click();
      const ownMessage = chatter.locator('aside').getByTestId('chat-message').filter({ hasText: 'Zap me for this one' });
      await ownMessage.waitFor({ timeout: 20_000 });
      await ownMessage.getByRole('button', { name: 'More actions' }).click();
      await chatter.getByRole('menuitem', { name: 'Reply' }).waitFor();
      expect(await chatter.getByRole('menuitem', { name: /^Zap / }).count()).toBe(0);
      await chatter.keyboard.press('Escape');

      const viewer = new BrowserUser();
      await publishTo(ws(), new TestUser(viewer.secret).sign({ kind: 0, content: JSON.stringify({ name: 'Vic Viewer' }) }));
      const context = await viewer.context(suite.browser);
      await context.addInitScript(weblnInitScript(sams));
      const page = await context.newPage();
      await page.goto(`${suite.server.url}/s/${zappable.streamId}`);
      await signInWithExtension(page);
      const message = page.locator('aside').getByTestId('chat-message').filter({ hasText: 'Zap me for this one' });
      await message.getByRole('button', { name: 'More actions' }).click({ timeout: 20_000 });
      await page.getByRole('menuitem', { name: 'Zap Sam Chatter for this message' }).click({ timeout: 20_000 });
      await page.getByRole('dialog').getByRole('heading', { name: 'Zap Sam Chatter' }).waitFor();
      await page.getByLabel('Amount (sats)').fill('21');
      await page.getByLabel('Comment (optional)').fill('Good point');
      await page.getByRole('button', { name: 'Zap 21 sats' }).click();
      await page.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });
      await page.keyboard.press('Escape');

      expect(sams.receipts).toHaveLength(1);
      const receipt = started(sams.receipts[0], 'receipt');
      const relay = await Relay.connect(ws());
      const [said] = await queryRelay(relay, [{ kinds: [1311], authors: [sam.pubkey] }]);
      relay.close();
      const request = JSON.parse(receipt.tags.find((tag) => tag[0] === 'description')?.[1] ?? '{}') as { tags: string[][] };
      const tag = (name: string) => request.tags.find((t) => t[0] === name)?.[1];
      expect(tag('p')).toBe(sam.pubkey);
      expect(tag('a')).toMatch(/^30311:/);
      expect(tag('e')).toBe(started(said, 'message').id);
      expect(receipt.tags.find((t) => t[0] === 'e')?.[1]).toBe(tag('e'));

      for (const shown of [page, chatter]) {
        const line = shown.locator('aside').getByTestId('chat-zap').filter({ hasText: 'Good point' });
        await expect.poll(() => line.count(), { timeout: 20_000 }).toBe(1);
        // Names arrive after the line (profiles are fetched as they are needed).
        await expect.poll(() => line.textContent(), { timeout: 20_000 }).toMatch(/Vic Viewer.*zapped.*Sam Chatter.*21 sats.*Good point/);
      }
      await screenshot(page, 'zap-chat-2-message-zap');
      // A chatter's zap is not the host's: the host's total stays what they were paid.
      expect(await page.getByTestId('zap-total').textContent()).toContain('42 sats');
    } finally {
      await sams.close();
    }
  });
});

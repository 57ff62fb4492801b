import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { startLnurlWallet, weblnInitScript, type LnurlWallet } from '../../testkit/lnurl-wallet.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo, queryRelay, Relay } from '../../testkit/relay-client.js';
import { zapInPage, useZappableStream } from '../../testkit/zap-page.js';

/**
 * Zaps in the host's dashboard chat: the host hides a zap line (a kind 9005 naming the receipt) and
 * every viewer's chat drops it while the paid sats still count; the host zaps a chatter's message.
 */
describe('zaps in the dashboard chat', () => {
  const suite = useBrowserSuite();
  const host = new BrowserUser();
  const ws = () => suite.server.url.replace('http://', 'ws://');
  const zappable = useZappableStream(suite, new TestUser(host.secret), { name: 'Host Hal', title: 'Moderated zaps' });

  /** A signed-in user named `name` (their kind 0, with a lightning address when given) on `path`, paying with `pays`' WebLN. */
  async function userOn(path: string, name: string, options: { user?: BrowserUser; lud16?: string; pays?: LnurlWallet } = {}): Promise<Page> {
    const user = options.user ?? new BrowserUser();
    await publishTo(ws(), new TestUser(user.secret).sign({ kind: 0, content: JSON.stringify({ name, ...(options.lud16 && { lud16: options.lud16 }) }) }));
    const context = await user.context(suite.browser);
    if (options.pays) await context.addInitScript(weblnInitScript(options.pays));
    const page = await context.newPage();
    await page.goto(`${suite.server.url}${path}`);
    await signInWithExtension(page);
    return page;
  }
  const zapLines = (page: Page, comment: string) => page.locator('aside').getByTestId('chat-zap').filter({ hasText: comment });

  it('hides a zap line from the dashboard: every viewer’s chat loses it, the relay stops serving it, its sats still count', { timeout: 120_000 }, async () => {
    const lnurl = zappable.wallet;
    const dashboard = await userOn(`/dashboard/${zappable.streamId}`, 'Host Hal', { user: host, lud16: lnurl.lud16 });
    const viewer = await userOn(`/s/${zappable.streamId}`, 'Vera Viewer', { pays: lnurl });
    const other = await userOn(`/s/${zappable.streamId}`, 'Otto Other');

    await zapInPage(viewer, 30, 'Kept line');
    await viewer.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });
    await viewer.keyboard.press('Escape');
    await zapInPage(viewer, 70, 'Rude words here');
    await viewer.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });
    await viewer.keyboard.press('Escape');
    for (const page of [dashboard, viewer, other]) {
      await expect.poll(() => zapLines(page, 'Rude words here').count(), { timeout: 20_000 }).toBe(1);
    }
    // Only the host's dashboard offers Hide.
    expect(await zapLines(viewer, 'Rude words here').getByRole('button', { name: 'Hide' }).count()).toBe(0);

    await zapLines(dashboard, 'Rude words here').getByRole('button', { name: 'Hide' }).click();
    for (const page of [dashboard, viewer, other]) {
      await expect.poll(() => zapLines(page, 'Rude words here').count(), { timeout: 20_000 }).toBe(0);
      expect(await zapLines(page, 'Kept line').count()).toBe(1);
    }
    // The payer paid: the total and the host's list of zaps keep it.
    expect(await viewer.getByTestId('zap-total').textContent()).toContain('100 sats');
    expect(await dashboard.getByTestId('dashboard-zap').filter({ hasText: 'Rude words here' }).count()).toBe(1);
    await screenshot(dashboard, 'zap-moderation-hidden');

    // Someone arriving later gets neither the line nor the receipt from our relay.
    const late = await userOn(`/s/${zappable.streamId}`, 'Lou Late');
    await zapLines(late, 'Kept line').waitFor({ timeout: 20_000 });
    expect(await zapLines(late, 'Rude words here').count()).toBe(0);
    const relay = await Relay.connect(ws());
    const served = await queryRelay(relay, [{ kinds: [9735], '#p': [host.pubkey] }]);
    relay.close();
    const comments = served.map((receipt) => JSON.parse(receipt.tags.find((tag) => tag[0] === 'description')?.[1] ?? '{}') as { content?: string });
    expect(comments.map((request) => request.content)).toEqual(['Kept line']);
  });

  it('zaps a chatter’s message from the dashboard chat; the host’s own messages offer no zap', { timeout: 120_000 }, async () => {
    const sams = await startLnurlWallet('sam');
    try {
      const chatter = await userOn(`/s/${zappable.streamId}`, 'Sam Chatter', { lud16: sams.lud16 });
      await chatter.locator('aside').getByLabel('Message').fill('Zap me from the dashboard');
      await chatter.locator('aside').getByRole('button', { name: 'Send' }).click();

      const dashboard = await userOn(`/dashboard/${zappable.streamId}`, 'Host Hal', { user: host, lud16: zappable.wallet.lud16, pays: sams });
      await dashboard.getByRole('textbox', { name: 'Message' }).fill('Thanks for coming');
      await dashboard.getByRole('textbox', { name: 'Message' }).press('Enter');
      const own = dashboard.getByTestId('chat-message').filter({ hasText: 'Thanks for coming' });
      await own.waitFor({ timeout: 20_000 });
      await own.getByRole('button', { name: 'More actions' }).click();
      await dashboard.getByRole('menuitem', { name: 'Reply' }).waitFor();
      expect(await dashboard.getByRole('menuitem', { name: /^Zap / }).count()).toBe(0);
      await dashboard.keyboard.press('Escape');

      const message = dashboard.getByTestId('chat-message').filter({ hasText: 'Zap me from the dashboard' });
      await message.getByRole('button', { name: 'More actions' }).click({ timeout: 20_000 });
      await dashboard.getByRole('menuitem', { name: 'Zap Sam Chatter for this message' }).click({ timeout: 20_000 });
      await dashboard.getByRole('dialog').getByRole('heading', { name: 'Zap Sam Chatter' }).waitFor();
      await dashboard.getByLabel('Amount (sats)').fill('12');
      await dashboard.getByLabel('Comment (optional)').fill('From the host');
      await dashboard.getByRole('button', { name: 'Zap 12 sats' }).click();
      await dashboard.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });
      await dashboard.keyboard.press('Escape');

      expect(sams.receipts).toHaveLength(1);
      const line = zapLines(chatter, 'From the host');
      await expect.poll(() => line.count(), { timeout: 20_000 }).toBe(1);
      expect(await line.textContent()).toMatch(/Host Hal.*zapped.*Sam Chatter.*12 sats.*From the host/);
      await screenshot(dashboard, 'zap-moderation-dashboard-zap');
    } finally {
      await sams.close();
    }
  });
});

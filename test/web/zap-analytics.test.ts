import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { weblnInitScript } from '../../testkit/lnurl-wallet.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo } from '../../testkit/relay-client.js';
import { zapInPage, useZappableStream } from '../../testkit/zap-page.js';

/** The analytics page's Zaps card: what the service's zap ledger counted from a zap paid in a real browser. */
describe('zaps on the analytics page', () => {
  const suite = useBrowserSuite();
  const streamer = new BrowserUser();
  const zappable = useZappableStream(suite, new TestUser(streamer.secret), { name: 'DJ Ledger', title: 'Counted' });

  it('shows the sats received, the zap count, the top zapper and the zap with its comment', { timeout: 120_000 }, async () => {
    const viewer = new BrowserUser();
    await publishTo(suite.server.url.replace('http://', 'ws://'), new TestUser(viewer.secret).sign({ kind: 0, content: JSON.stringify({ name: 'Viewer Vera' }) }));
    const context = await viewer.context(suite.browser);
    await context.addInitScript(weblnInitScript(zappable.wallet));
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/s/${zappable.streamId}`);
    await signInWithExtension(page);
    await zapInPage(page, 210, 'Counted by the service');
    await page.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });

    // Analytics are the streamer's own: they sign in to see them.
    const analytics = await (await streamer.context(suite.browser)).newPage();
    await analytics.goto(`${suite.server.url}/analytics/${zappable.streamId}`);
    await signInWithExtension(analytics);
    const card = analytics.getByTestId('analytics-zaps');
    await expect.poll(() => card.getByTestId('zaps-total').textContent(), { timeout: 20_000 }).toBe('210 sats');
    expect(await card.getByTestId('zaps-count').textContent()).toBe('1');
    await expect.poll(() => card.getByTestId('top-zapper').textContent(), { timeout: 15_000 }).toMatch(/Viewer Vera.*210 sats/);
    const entries = card.getByTestId('zap-entry');
    expect(await entries.count()).toBe(1);
    expect(await entries.first().textContent()).toMatch(/^\d:\d\d:\d\d210 sats.*Viewer Vera.*Counted by the service/);
    await screenshot(analytics, 'zap-analytics-1-card');
  });
});

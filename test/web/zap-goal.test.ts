import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { weblnInitScript, type LnurlWallet } from '../../testkit/lnurl-wallet.js';
import { TestUser } from '../../testkit/nostr.js';
import { started } from '../../testkit/suites.js';
import { zapInPage as zap, zappableStream } from '../../testkit/zap-page.js';

/** A NIP-75 goal set from the dashboard (a 9041 signed by the streamer) and the stream page's goal bar moving with valid zaps. */
describe('zap goal', () => {
  const suite = useBrowserSuite();
  const streamer = new BrowserUser();
  let wallet: LnurlWallet | undefined;
  let streamId = '';

  beforeAll(async () => {
    ({ wallet, streamId } = await zappableStream(suite.server, new TestUser(streamer.secret), { name: 'Goal Getter', title: 'Goal' }));
  }, 60_000);
  afterAll(async () => {
    await wallet?.close();
  });

  it('sets a 200-sat goal on the dashboard; a 100-sat zap shows the bar at 50 %', { timeout: 120_000 }, async () => {
    const dashboard = await (await streamer.context(suite.browser)).newPage();
    await dashboard.goto(`${suite.server.url}/dashboard/${streamId}`);
    await signInWithExtension(dashboard);
    await dashboard.getByLabel('Target (sats)').fill('200');
    await dashboard.getByLabel('What it is for').fill('A new microphone');
    await dashboard.getByRole('button', { name: 'Set goal' }).click();
    await expect.poll(() => dashboard.getByTestId('goal-status').textContent(), { timeout: 20_000 }).toContain('A goal is set');
    const view = await suite.server.call<{ goal: string | null }>('GET', `/api/v1/streams/${streamId}/status`);
    expect(view.body.goal).toMatch(/^[0-9a-f]{64}$/);

    const lnurl = started(wallet, 'wallet');
    const viewer = new BrowserUser();
    const context = await viewer.context(suite.browser);
    await context.addInitScript(weblnInitScript(lnurl));
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/s/${streamId}`);
    const bar = page.getByTestId('goal-bar');
    await bar.waitFor({ timeout: 20_000 });
    expect(await bar.textContent()).toContain('A new microphone');
    expect(await page.getByTestId('goal-progress').textContent()).toContain('0 / 200 sats (0 %)');

    await signInWithExtension(page);
    await zap(page, 100, 'Halfway there');
    await page.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('goal-progress').textContent(), { timeout: 20_000 }).toContain('100 / 200 sats (50 %)');
    expect(await bar.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    expect(await bar.textContent()).not.toContain('Goal reached!');
    await screenshot(page, 'zap-goal-half');
  });
});

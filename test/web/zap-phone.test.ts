import type { BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { unixNow } from '../../src/protocol/time.js';
import { buildZapGoal } from '../../src/protocol/zap-goal.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, boxOf, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { weblnInitScript, type LnurlWallet } from '../../testkit/lnurl-wallet.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo } from '../../testkit/relay-client.js';
import { goLiveWithTestPattern } from '../../testkit/streams.js';
import { useZappableStream } from '../../testkit/zap-page.js';

/** The phone the zap screens are judged on (an iPhone 12–15 class screen). */
const PHONE = { width: 390, height: 844 };
/** The smallest touch target a finger hits reliably (Apple's and WCAG 2.5.5's 44 px). */
const TOUCH_TARGET = 44;

const widths = z.object({ scrollWidth: z.number(), innerWidth: z.number() });

/** Nothing on the page is wider than the screen: a phone user never scrolls sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = widths.parse(await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })'));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

/** Wholly on screen without scrolling. */
async function expectOnScreen(locator: Locator): Promise<void> {
  const box = await boxOf(locator);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
}

async function expectTouchTarget(locator: Locator): Promise<void> {
  expect((await boxOf(locator)).height).toBeGreaterThanOrEqual(TOUCH_TARGET);
}

/** A user badge's name shown whole, not cut to an ellipsis. */
async function expectWholeName(badge: Locator): Promise<void> {
  const name = badge.locator('.truncate');
  expect(await name.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
}

/** A phone (touch, 2× pixels) signed in as `user`; with WebLN when a wallet is given. */
async function phonePage(suite: ReturnType<typeof useBrowserSuite>, user: BrowserUser, wallet?: LnurlWallet): Promise<{ context: BrowserContext; page: Page }> {
  const context = await user.context(suite.browser, { phone: true });
  if (wallet) await context.addInitScript(weblnInitScript(wallet));
  const page = await context.newPage();
  await page.setViewportSize(PHONE);
  return { context, page };
}

/**
 * The zap screens on a phone, one live stream with a goal: the stream page, the zap dialog, the QR
 * invoice, the chat's zap lines and top zappers, the home card's total and the host's Zaps card.
 * Screenshots: test-results/screenshots/phone-zaps-*.png.
 */
describe('zaps on a phone', () => {
  const suite = useBrowserSuite();
  const host = new BrowserUser();
  const hostUser = new TestUser(host.secret);
  const ws = () => suite.server.url.replace('http://', 'ws://');
  const zappable = useZappableStream(suite, hostUser, { name: 'Phone Phoebe', title: 'Zaps on the go' });

  beforeAll(async () => {
    suite.publisher = await goLiveWithTestPattern(suite.server, hostUser, zappable.stream, { seconds: 240, size: '640x360' });
    const status = await suite.server.call<{ event_pubkey: string }>('GET', `/api/v1/streams/${zappable.streamId}/status`);
    const goal = hostUser.sign(
      buildZapGoal({ amountMsats: 5_000_000, description: 'New guitar strings', relays: [ws()], stream: liveEventCoordinate(status.body.event_pubkey, zappable.streamId) }, unixNow()),
    );
    await publishTo(ws(), goal);
    const patched = await suite.server.call('PATCH', `/api/v1/streams/${zappable.streamId}`, { as: hostUser, json: { goal: goal.id } });
    expect(patched.status).toBe(200);
  }, 90_000);

  it('stream page, zap dialog and a WebLN zap: the Zap button and presets are finger-sized and the dialog fits the screen', { timeout: 120_000 }, async () => {
    const lnurl = zappable.wallet;
    const viewer = new BrowserUser();
    await publishTo(ws(), new TestUser(viewer.secret).sign({ kind: 0, content: JSON.stringify({ name: 'Walking Wendy' }) }));
    const { page } = await phonePage(suite, viewer, lnurl);
    await page.goto(`${suite.server.url}/s/${zappable.streamId}`);
    await signInWithExtension(page);

    const zapButton = page.getByRole('button', { name: 'Zap', exact: true });
    await zapButton.waitFor({ timeout: 20_000 });
    // The goal is in the About tab, beside the chat under the player.
    await page.getByRole('tab', { name: 'About' }).click();
    await page.getByTestId('goal-bar').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('goal-bar').textContent()).toContain('New guitar strings');
    await expectTouchTarget(zapButton);
    await expectOnScreen(zapButton);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'phone-zaps-1-stream');

    await zapButton.click();
    const dialog = page.getByRole('dialog');
    const presets = dialog.getByRole('group', { name: 'Amount' }).getByRole('button');
    expect(await presets.count()).toBeGreaterThan(1);
    for (const preset of await presets.all()) {
      await expectTouchTarget(preset);
      await expectOnScreen(preset);
    }
    await dialog.getByLabel('Amount (sats)').fill('2000');
    await dialog.getByLabel('Comment (optional)').fill('Encore from the bus!');
    const send = dialog.getByRole('button', { name: 'Zap 2000 sats' });
    await expectOnScreen(dialog);
    await expectOnScreen(send);
    await expectTouchTarget(send);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'phone-zaps-2-dialog');

    await send.click();
    await page.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('zap-total').textContent(), { timeout: 20_000 }).toContain('2,000 sats');
  });

  it('QR invoice: the code is on screen, Copy puts the invoice on the clipboard, and paying it says Zapped!', { timeout: 120_000 }, async () => {
    const lnurl = zappable.wallet;
    const viewer = new BrowserUser();
    await publishTo(ws(), new TestUser(viewer.secret).sign({ kind: 0, content: JSON.stringify({ name: 'Commuter Carl' }) }));
    const { context, page } = await phonePage(suite, viewer);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
    await page.goto(`${suite.server.url}/s/${zappable.streamId}`);
    await signInWithExtension(page);
    await page.getByRole('button', { name: 'Zap', exact: true }).click({ timeout: 20_000 });
    const dialog = page.getByRole('dialog');
    // The preset, not the typed amount: a finger taps 100.
    await dialog.getByRole('button', { name: '100 sats', exact: true }).click();
    await dialog.getByLabel('Comment (optional)').fill('Paid from my phone wallet');
    await dialog.getByRole('button', { name: 'Zap 100 sats' }).click();

    const qr = dialog.getByTestId('zap-qr');
    await qr.waitFor({ timeout: 20_000 });
    // Decoded and drawn, not a broken image.
    expect(await qr.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await expectOnScreen(qr);
    const copy = dialog.getByRole('button', { name: 'Copy invoice' });
    await expectOnScreen(copy);
    await expectTouchTarget(copy);
    await expectOnScreen(dialog);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'phone-zaps-3-qr');

    await copy.click();
    await dialog.getByText('Copied.').waitFor();
    const invoice = await dialog.getByTestId('zap-invoice').inputValue();
    expect(invoice).toMatch(/^ln/);
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(invoice);

    await lnurl.pay(invoice);
    await page.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('zap-total').textContent(), { timeout: 20_000 }).toContain('2,100 sats');
  });

  it('the chat under the player with the zap lines, and the top-zappers strip, fit a phone', { timeout: 90_000 }, async () => {
    const { page } = await phonePage(suite, new BrowserUser());
    await page.goto(`${suite.server.url}/s/${zappable.streamId}`);
    await page.getByRole('tab', { name: 'About' }).click();
    const strip = page.getByRole('region', { name: 'Zaps' });
    await expect.poll(() => strip.getByTestId('top-zapper').count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => strip.getByTestId('top-zapper').first().textContent(), { timeout: 20_000 }).toMatch(/Walking Wendy.*2,000/);
    await expect.poll(() => page.getByTestId('goal-progress').textContent(), { timeout: 20_000 }).toContain('2,100 / 5,000 sats');
    await expectOnScreen(strip);
    // One line: the zappers sit beside the total, not stacked under it.
    const middle = async (locator: Locator) => {
      const box = await boxOf(locator);
      return box.y + box.height / 2;
    };
    const total = await middle(strip.getByTestId('zap-total'));
    for (const zapper of await strip.getByTestId('top-zapper').all()) expect(Math.abs((await middle(zapper)) - total)).toBeLessThan(8);
    // Signed out, the Zap button is a sign-in, as big as any other touch target.
    await expectTouchTarget(page.getByRole('button', { name: 'Sign in to zap' }));
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'phone-zaps-4-top-zappers');

    // The chat fills the screen under the player (its tab is the one open first).
    await page.getByRole('tab', { name: 'Chat' }).click();
    const drawer = page.getByRole('region', { name: 'Live chat' });
    const lines = drawer.getByTestId('chat-zap');
    await expect.poll(() => lines.count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(() => lines.nth(0).textContent(), { timeout: 20_000 }).toMatch(/Walking Wendy.*zapped 2,000 sats.*Encore from the bus!/);
    await expect.poll(() => lines.nth(1).textContent(), { timeout: 20_000 }).toMatch(/Commuter Carl.*zapped 100 sats.*Paid from my phone wallet/);
    for (const line of await lines.all()) {
      const box = await boxOf(line);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      await expectWholeName(line.getByTestId('user-badge').first());
    }
    // The viewer count in the chat's header is on screen, under the player, not covered.
    await expectOnScreen(drawer.getByText(/\d+ watching/));
    await expectOnScreen(page.getByTestId('player-video'));
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'phone-zaps-5-chat');
  });

  it('the home page card shows the stream’s zap total, and so does the host’s profile page', { timeout: 90_000 }, async () => {
    const { page } = await phonePage(suite, new BrowserUser());
    await page.goto(suite.server.url);
    const card = page.getByTestId('stream-card').filter({ hasText: 'Zaps on the go' });
    await card.waitFor({ timeout: 20_000 });
    await expect.poll(() => card.getByTestId('card-zaps').textContent(), { timeout: 20_000 }).toBe('2,100 sats');
    await card.scrollIntoViewIfNeeded();
    await expectOnScreen(card.getByTestId('card-zaps'));
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'phone-zaps-6-home-card');

    // The host's profile page finds the same total among the host's streams.
    await page.goto(`${suite.server.url}/p/${host.pubkey}`);
    const own = page.getByTestId('stream-card').filter({ hasText: 'Zaps on the go' });
    await expect.poll(() => own.getByTestId('card-zaps').textContent(), { timeout: 20_000 }).toBe('2,100 sats');
  });

  it('the host’s dashboard lists both zaps in its Zaps card; My streams and analytics count them', { timeout: 90_000 }, async () => {
    const { page } = await phonePage(suite, host);
    await page.goto(`${suite.server.url}/dashboard/${zappable.streamId}`);
    await signInWithExtension(page);
    const listed = page.getByTestId('dashboard-zap');
    await expect.poll(() => listed.count(), { timeout: 20_000 }).toBe(2);
    // Newest first; the name shows once the payer's kind 0 has been read.
    await expect.poll(() => listed.nth(0).textContent(), { timeout: 20_000 }).toMatch(/Commuter Carl.*100 sats.*Paid from my phone wallet/);
    // The card's top (its title) at the top of the screen, as the host scrolls to it.
    await page.getByRole('heading', { name: 'Zaps (2)' }).evaluate((title) => title.scrollIntoView({ block: 'start' }));
    // Out from under the sticky header.
    await page.evaluate('window.scrollBy(0, -80)');
    await screenshot(page, 'phone-zaps-7-dashboard');
    for (const zap of await listed.all()) {
      const box = await boxOf(zap);
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      await expectWholeName(zap.getByTestId('user-badge'));
    }
    await expectNoSidewaysScroll(page);

    // Their list of streams says what this one earned.
    await page.goto(`${suite.server.url}/streams`);
    await expect.poll(() => page.getByTestId('my-stream-zaps').first().textContent(), { timeout: 20_000 }).toBe('2,100 sats');
    await expectNoSidewaysScroll(page);

    // The same two zaps as the service's ledger counted them.
    await page.goto(`${suite.server.url}/analytics/${zappable.streamId}`);
    const analytics = page.getByTestId('analytics-zaps');
    await expect.poll(() => analytics.getByTestId('zaps-total').textContent(), { timeout: 20_000 }).toBe('2,100 sats');
    expect(await analytics.getByTestId('zaps-count').textContent()).toBe('2');
    await expect.poll(() => analytics.getByTestId('zap-entry').count()).toBe(2);
    await analytics.evaluate((card) => card.scrollIntoView({ block: 'start' }));
    await page.evaluate('window.scrollBy(0, -80)');
    await screenshot(page, 'phone-zaps-8-analytics');
    for (const entry of await analytics.getByTestId('zap-entry').all()) expect((await boxOf(entry)).x + (await boxOf(entry)).width).toBeLessThanOrEqual(PHONE.width);
    await expectNoSidewaysScroll(page);
  });
});

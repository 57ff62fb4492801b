import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLiveEvent } from '../../src/protocol/live-event.js';
import { unixNow } from '../../src/protocol/time.js';
import { audit } from '../../testkit/axe.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, boxOf, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { publishTo } from '../../testkit/relay-client.js';
import { createStream, eventually, goLiveWithTestPattern, ingestUrl, statusOf, type Created } from '../../testkit/streams.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const LANDSCAPE_PHONE = { width: 844, height: 390 };

interface MediaState {
  currentTime: number;
  duration: number;
  paused: boolean;
}

/** A context that signs as `user` (the page's CSP bypassed so axe can be injected), at phone or desktop size. */
async function contextFor(browser: Browser, user: BrowserUser, phone: boolean): Promise<BrowserContext> {
  const context = await user.context(browser, { phone, bypassCSP: true });
  return context;
}

/** Wholly inside the window, without scrolling. */
async function expectInViewport(page: Page, locator: Locator): Promise<void> {
  const box = await boxOf(locator);
  const size = page.viewportSize() ?? PHONE;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(size.height + 1);
  expect(box.x + box.width).toBeLessThanOrEqual(size.width + 1);
}

const currentTime = (video: Locator) => video.evaluate((element) => (element as unknown as MediaState).currentTime);

/** The video keeps playing: its clock moves on by more than a second while we watch. */
async function expectAdvancing(video: Locator): Promise<void> {
  const before = await currentTime(video);
  await expect.poll(() => currentTime(video), { timeout: 30_000 }).toBeGreaterThan(before + 1);
}

/**
 * The stream page as a viewer lives it (issue 18): on a phone the video stays on top while the
 * chat fills the screen below; theatre mode on a desktop; the uptime and the Share menu; the
 * "reconnecting" overlay when the encoder drops and its clearing when it is back; the end card
 * with the duration, the replay and other live streams. Screenshots: test-results/screenshots/stream-page-*.png.
 */
describe('the stream page', () => {
  const suite = useBrowserSuite({ env: { RECONNECT_GRACE_SECONDS: '300' } });
  const host = new BrowserUser();
  const hostUser = new TestUser(host.secret);
  const viewer = new BrowserUser();
  const ws = () => suite.server.url.replace('http://', 'ws://');
  let stream: Created;
  const pageUrl = () => `${suite.server.url}/s/${stream.stream_id}`;

  beforeAll(async () => {
    await publishTo(ws(), hostUser.sign({ kind: 0, content: JSON.stringify({ name: 'Stage Sam' }), created_at: unixNow(), tags: [] }));
    await publishTo(ws(), new TestUser(viewer.secret).sign({ kind: 0, content: JSON.stringify({ name: 'Couch Cleo' }), created_at: unixNow(), tags: [] }));
    // Another streamer live elsewhere (its own key's 30311 on our relay): where the end card sends viewers next.
    const other = new TestUser();
    await publishTo(
      ws(),
      other.sign(
        buildLiveEvent(
          { identifier: 'elsewhere', status: 'live', title: 'Somewhere else live', participants: [], hashtags: [], relays: [ws()], qualityOptions: [], starts: unixNow() - 600 },
          unixNow(),
        ),
      ),
    );
    stream = await createStream(suite.server, hostUser, { title: 'Watch party', description: 'A test pattern to watch and chat along', record: true });
    suite.publisher = await goLiveWithTestPattern(suite.server, hostUser, stream, { seconds: 600, size: '640x360' });
  }, 90_000);

  it('on a phone the video stays on top while chatting, with the uptime, the About tab and the page title', { timeout: 150_000 }, async () => {
    const context = await contextFor(suite.browser, viewer, true);
    const page = await context.newPage();
    await page.setViewportSize(PHONE);
    await page.goto(pageUrl());
    await signInWithExtension(page);

    const video = page.getByTestId('player-video');
    const message = page.getByLabel('Message');
    await expect.poll(() => currentTime(video), { timeout: 40_000 }).toBeGreaterThan(0.5);
    // Both at once, without scrolling: watching while chatting.
    await expectInViewport(page, video);
    await expectInViewport(page, message);
    await expectInViewport(page, page.getByTestId('stream-viewers'));
    // One chat panel on the page (no hidden desktop copy, no dialog).
    expect(await page.getByRole('region', { name: 'Live chat' }).count()).toBe(1);
    expect(await page.getByRole('dialog').count()).toBe(0);

    await message.fill('watching from the couch');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('chat-message').filter({ hasText: 'watching from the couch' }).waitFor({ timeout: 20_000 });
    await expectInViewport(page, video);
    expect(await video.evaluate((element) => (element as unknown as MediaState).paused)).toBe(false);
    await expectAdvancing(video);

    // The uptime ticks beside LIVE and says itself in words.
    const uptime = page.getByRole('timer', { name: /^Live for \d+ (second|minute)/ });
    await uptime.waitFor();
    expect(await page.getByTestId('stream-state').textContent()).toBe('Live');
    const shown = await uptime.textContent();
    expect(shown).toMatch(/^\d+:\d\d$/);
    await expect.poll(() => uptime.textContent(), { timeout: 5_000 }).not.toBe(shown);

    await expect.poll(() => page.title(), { timeout: 20_000 }).toBe('Watch party · Stage Sam · Wavlake Live');
    expect(await audit(page, 'stream-page-phone-chat')).toEqual([]);
    await screenshot(page, 'stream-page-phone-chat');

    // On a phone Share is an icon at the end of the title's line; its menu offers the system share sheet where there is one.
    await page.getByRole('button', { name: 'Share' }).click();
    await page.getByRole('menuitem', { name: 'Copy link' }).waitFor();
    expect(await audit(page, 'stream-page-share-menu-phone')).toEqual([]);
    await screenshot(page, 'stream-page-share-menu-phone');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });

    await page.getByRole('tab', { name: 'About' }).click();
    await page.getByText('A test pattern to watch and chat along').waitFor();
    await expectInViewport(page, video);
    // The chat is kept (hidden), not unmounted: back on its tab the message is still there.
    await page.getByRole('tab', { name: 'Chat' }).click();
    await page.getByTestId('chat-message').filter({ hasText: 'watching from the couch' }).waitFor();

    // Turned sideways: the player fills the screen and its controls are on it.
    await page.setViewportSize(LANDSCAPE_PHONE);
    await expect.poll(async () => (await boxOf(video)).width, { timeout: 10_000 }).toBeGreaterThan(LANDSCAPE_PHONE.width - 2);
    expect((await boxOf(page.getByRole('group', { name: /^Video player/ }))).height).toBeGreaterThan(LANDSCAPE_PHONE.height - 2);
    await expectInViewport(page, page.getByRole('button', { name: 'Fullscreen' }));
    await screenshot(page, 'stream-page-phone-landscape');
    await context.close();
  });

  it('copies the page’s link and its nostr address from the Share menu; the dashboard shows the public link', { timeout: 90_000 }, async () => {
    const context = await contextFor(suite.browser, viewer, false);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
    const page = await context.newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(pageUrl());
    await page.getByTestId('player-video').waitFor({ timeout: 20_000 });

    await page.getByRole('button', { name: 'Share' }).click();
    const menu = page.getByRole('menu');
    await menu.waitFor();
    expect(await audit(page, 'stream-page-share-menu')).toEqual([]);
    await screenshot(page, 'stream-page-share-menu-desktop');
    await menu.getByRole('menuitem', { name: 'Copy link' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Link copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(`${suite.server.url}/s/${stream.stream_id}`);

    await page.getByRole('button', { name: 'Share' }).click();
    await page.getByRole('menuitem', { name: 'Copy nostr address' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Nostr address copied' }).waitFor();
    const naddr = String(await page.evaluate('navigator.clipboard.readText()'));
    expect(naddr).toMatch(/^naddr1/);
    expect(await page.getByTestId('nostr-address').getAttribute('href')).toBe(`nostr:${naddr}`);

    const studio = await (await contextFor(suite.browser, host, false)).newPage();
    await studio.goto(`${suite.server.url}/dashboard/${stream.stream_id}`);
    await signInWithExtension(studio);
    await expect.poll(() => studio.getByLabel('Public link', { exact: true }).inputValue(), { timeout: 20_000 }).toBe(`${suite.server.url}/s/${stream.stream_id}`);
    await expect.poll(() => studio.title()).toBe('Watch party · Dashboard · Wavlake Live');
    await studio.context().close();
    await context.close();
  });

  it('theatre mode on a desktop widens the video beside the chat; Escape leaves it', { timeout: 90_000 }, async () => {
    const context = await contextFor(suite.browser, viewer, false);
    const page = await context.newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(pageUrl());
    const video = page.getByTestId('player-video');
    await expect.poll(() => currentTime(video), { timeout: 40_000 }).toBeGreaterThan(0.5);
    const normal = await boxOf(video);
    expect(await audit(page, 'stream-page-desktop')).toEqual([]);
    await screenshot(page, 'stream-page-desktop');

    await page.getByRole('button', { name: 'Theatre mode' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Theatre mode' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => (await boxOf(video)).width).toBeGreaterThan(normal.width + 100);
    // The chat stays beside it, and the site's header is out of the way.
    await expectInViewport(page, page.getByRole('region', { name: 'Live chat' }));
    expect((await boxOf(video)).y).toBeLessThan(normal.y);
    await expectAdvancing(video);
    expect(await audit(page, 'stream-page-theatre')).toEqual([]);
    await screenshot(page, 'stream-page-theatre-desktop');

    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('button', { name: 'Theatre mode' }).getAttribute('aria-pressed')).toBe('false');
    await expect.poll(async () => Math.round((await boxOf(video)).width)).toBe(Math.round(normal.width));
    await context.close();
  });

  it('says the streamer is reconnecting while the encoder is away, and clears by itself when it is back', { timeout: 180_000 }, async () => {
    const desktop = await (await contextFor(suite.browser, viewer, false)).newPage();
    await desktop.setViewportSize(DESKTOP);
    const phone = await (await contextFor(suite.browser, new BrowserUser(), true)).newPage();
    await phone.setViewportSize(PHONE);
    for (const page of [desktop, phone]) {
      await page.goto(pageUrl());
      await page.getByTestId('player-video').waitFor({ timeout: 20_000 });
    }

    suite.publisher?.child.kill('SIGKILL');
    await eventually('reconnecting', async () => ((await statusOf(suite.server, hostUser, stream.stream_id)).status === 'reconnecting' ? true : undefined), 30_000);
    for (const [page, size] of [[desktop, 'desktop'], [phone, 'phone']] as const) {
      const overlay = page.getByRole('status').filter({ hasText: 'The streamer is reconnecting…' });
      await overlay.waitFor({ timeout: 20_000 });
      // Over the player's picture, not somewhere else on the page.
      const player = await boxOf(page.getByRole('group', { name: /^Video player/ }));
      const over = await boxOf(overlay);
      expect(Math.round(over.x)).toBe(Math.round(player.x));
      expect(Math.round(over.width)).toBe(Math.round(player.width));
      expect(await page.getByTestId('stream-state').textContent()).toBe('Reconnecting');
      expect(await audit(page, `stream-page-reconnecting-${size}`)).toEqual([]);
      await screenshot(page, `stream-page-reconnecting-${size}`);
    }

    // The same key again: the stream is live without the host pressing anything, and the overlay goes.
    suite.publisher = pushTestPattern(ingestUrl(suite.server, stream.stream_key), { seconds: 600, size: '640x360' });
    await eventually('live again', async () => ((await statusOf(suite.server, hostUser, stream.stream_id)).status === 'live' ? true : undefined), 60_000);
    for (const page of [desktop, phone]) {
      await page.getByTestId('reconnecting-overlay').waitFor({ state: 'detached', timeout: 20_000 });
      await expect.poll(() => page.getByTestId('stream-state').textContent(), { timeout: 20_000 }).toBe('Live');
    }
    await desktop.context().close();
    await phone.context().close();
  });

  it('shows an end card when the host ends: the duration, the replay on request and other live streams', { timeout: 180_000 }, async () => {
    const desktop = await (await contextFor(suite.browser, viewer, false)).newPage();
    await desktop.setViewportSize(DESKTOP);
    const phone = await (await contextFor(suite.browser, new BrowserUser(), true)).newPage();
    await phone.setViewportSize(PHONE);
    for (const page of [desktop, phone]) {
      await page.goto(pageUrl());
      await page.getByTestId('stream-viewers').waitFor({ timeout: 20_000 });
    }
    expect((await suite.server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: hostUser })).status).toBe(200);
    suite.publisher?.child.kill('SIGKILL');

    for (const [page, size] of [[desktop, 'desktop'], [phone, 'phone']] as const) {
      const card = page.getByTestId('end-card');
      await card.getByRole('heading', { name: 'The stream has ended' }).waitFor({ timeout: 20_000 });
      expect(await card.getByTestId('end-card-duration').textContent()).toMatch(/^Live for \d+ (minute|second)s?/);
      await card.getByRole('button', { name: 'Watch the replay' }).waitFor({ timeout: 30_000 });
      await expect.poll(() => card.getByTestId('end-card-stream').allTextContents(), { timeout: 20_000 }).toEqual([expect.stringContaining('Somewhere else live')]);
      // Nothing plays by itself, and nobody is said to be watching any more.
      expect(await page.getByTestId('player-video').count()).toBe(0);
      expect(await page.getByTestId('stream-viewers').count()).toBe(0);
      expect(await page.getByTestId('stream-state').textContent()).toBe('Ended');
      expect(await page.getByRole('timer').count()).toBe(0);
      expect(await audit(page, `stream-page-ended-${size}`)).toEqual([]);
      await screenshot(page, `stream-page-ended-${size}`);
    }

    // Asked for, the replay plays the recording.
    await desktop.getByRole('button', { name: 'Watch the replay' }).click();
    const replay = desktop.getByTestId('player-video');
    await expect.poll(() => replay.evaluate((element) => (element as unknown as MediaState).duration), { timeout: 30_000 }).toBeGreaterThan(5);
    await expect.poll(() => currentTime(replay), { timeout: 30_000 }).toBeGreaterThan(0.5);
    await screenshot(desktop, 'stream-page-replay-desktop');
    await desktop.context().close();
    await phone.context().close();
  });
});

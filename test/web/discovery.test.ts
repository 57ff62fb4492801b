import type { VerifiedEvent } from 'nostr-tools/pure';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { audit, auditContext } from '../../testkit/axe.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { liveEventAt, publishTo } from '../../testkit/relay-client.js';
import { createStream, goLiveWithTestPattern } from '../../testkit/streams.js';

/** The two sizes. */
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Screenshots `<name>-desktop.png` and `<name>-phone.png` and the accessibility audit at both sizes, back at desktop after. */
async function shootAndAudit(page: Page, name: string): Promise<void> {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    await screenshot(page, `${name}-${size}`);
    expect(await audit(page, `${name}-${size}`)).toEqual([]);
  }
  await page.setViewportSize(DESKTOP);
}

/**
 * How often a card showing a live thumbnail fetches it anew: REFRESH_EVERY_MS of
 * web/src/components/discovery/retrying-picture.ts (not imported: it brings React's DOM types into the server's type-check).
 */
const CARD_REFRESH_MS = 60_000;

/** An image's decoded width: 0 until it has loaded. */
const naturalWidth = (image: Locator) => image.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth);

/** Discovery that feels alive: skeletons while loading, Go Live for everyone, thumbnails that arrive, planned times, search. */
describe('discovery', () => {
  const suite = useBrowserSuite();
  const relayUrl = () => suite.server.url.replace('http://', 'ws://');
  const publish = (...events: VerifiedEvent[]) => publishTo(relayUrl(), ...events);
  /** Another NIP-53 service's event for `host` (as sign-in-and-discovery.test.ts does). */
  const otherService = new TestUser();
  const liveEventOf = (host: TestUser, d: string, title: string, status: 'live' | 'planned', extra: string[][] = []) => {
    const now = Math.floor(Date.now() / 1000);
    return otherService.sign({
      kind: 30311,
      created_at: now,
      tags: [['d', d], ['title', title], ['status', status], ['p', host.pubkey, '', 'host'], ...extra],
    });
  };

  it('shows skeleton cards while the relays have not answered, then says nobody is live with a link to go live', { timeout: 90_000 }, async () => {
    const context = await auditContext(suite.browser, new BrowserUser());
    const page = await context.newPage();
    await page.setViewportSize(DESKTOP);
    // The service's answer naming the relays is held back: until it comes, nothing can have been read.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/v1/info', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${suite.server.url}/`);
    const liveNow = page.getByRole('region', { name: 'Live now' });
    await expect.poll(() => liveNow.getByTestId('stream-card-skeleton').count(), { timeout: 20_000 }).toBe(4);
    expect(await liveNow.getAttribute('aria-busy')).toBe('true');
    expect(await liveNow.getByText('Loading live streams').count()).toBe(1);
    expect(await page.getByText('Nobody is live').count()).toBe(0);
    await shootAndAudit(page, 'discovery-1-loading');

    release();
    await liveNow.getByText('Nobody is live right now.').waitFor({ timeout: 20_000 });
    expect(await liveNow.getAttribute('aria-busy')).toBe('false');
    expect(await liveNow.getByTestId('stream-card-skeleton').count()).toBe(0);
    await shootAndAudit(page, 'discovery-2-nobody-live');
    await liveNow.getByRole('link', { name: 'Go live yourself!' }).click();
    await page.waitForURL(/\/go-live$/);
    await page.getByRole('heading', { name: 'Sign in to go live' }).waitFor();
    await context.close();
  });

  it('leads a signed-out visitor from the header\'s Go Live through sign-in to the Go Live form', { timeout: 60_000 }, async () => {
    const page = await (await new BrowserUser().context(suite.browser)).newPage();
    await page.setViewportSize(PHONE);
    await page.goto(`${suite.server.url}/`);
    await page.waitForFunction(() => 'nostr' in globalThis);
    await page.getByRole('banner').getByRole('button', { name: 'Go Live', exact: true }).click();
    await page.getByRole('dialog', { name: 'Sign in with Nostr' }).waitFor();
    await page.getByRole('button', { name: 'Sign in with extension' }).click();
    await page.waitForURL(/\/go-live$/, { timeout: 20_000 });
    await page.getByRole('heading', { name: 'Go Live: set up your stream' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.context().close();
  });

  it('shows a new live stream\'s placeholder, then its thumbnail once it exists, without a reload', { timeout: 180_000 }, async () => {
    const streamer = new TestUser();
    const picture = `${suite.server.url}/api/v1/info`; // not an image: the placeholder falls back to the title alone
    await publish(streamer.sign({ kind: 0, content: JSON.stringify({ name: 'Thumbnail Theo', picture }) }));
    const stream = await createStream(suite.server, streamer, { title: 'Fresh thumbnail' });
    const context = await auditContext(suite.browser, new BrowserUser());
    const page = await context.newPage();
    await page.setViewportSize(DESKTOP);
    // The page's clock runs as usual, but for the waits below that it jumps through (retries, the refresh a minute later).
    await page.clock.install();
    // As on a stream that just went live: the first asks for the thumbnail find none yet.
    const asked: string[] = [];
    await page.route(`**/hls/${stream.stream_id}/thumb.jpg*`, async (route) => {
      asked.push(route.request().url());
      if (asked.length <= 2) await route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":"not_found"}' });
      else await route.continue();
    });
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('region', { name: 'Live now' }).getByText('Nobody is live right now.').waitFor({ timeout: 20_000 });
    suite.publisher = await goLiveWithTestPattern(suite.server, streamer, stream, { seconds: 300, size: '640x360' });

    const card = page.getByRole('region', { name: 'Live now' }).getByTestId('stream-card').filter({ hasText: 'Fresh thumbnail' });
    await card.waitFor({ timeout: 30_000 });
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain('Thumbnail Theo');
    // While the thumbnail is missing: the placeholder with the title, and no image drawn (a hidden one waits to load).
    await expect.poll(() => asked.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    expect(await card.getByTestId('card-placeholder').textContent()).toContain('Fresh thumbnail');
    await screenshot(page, 'discovery-3-thumbnail-placeholder-desktop');
    // The two 404s are the route's doing: their 5 s retries are jumped through rather than waited out.
    await expect.poll(async () => {
      if (asked.length < 3) await page.clock.fastForward(1000);
      return asked.length;
    }, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);

    const thumbnail = card.getByTestId('card-thumbnail');
    await expect.poll(async () => ((await thumbnail.count()) === 1 ? naturalWidth(thumbnail) : 0), { timeout: 120_000 }).toBeGreaterThan(0);
    await expect.poll(() => card.getByTestId('card-placeholder').count(), { timeout: 5_000 }).toBe(0);
    expect(await thumbnail.getAttribute('src')).toMatch(/thumb\.jpg\?attempt=\d+$/);
    expect(asked.length).toBeGreaterThanOrEqual(3);
    await shootAndAudit(page, 'discovery-4-live-results');

    // As the stream goes on the card fetches the thumbnail anew, keeping the picture on screen meanwhile.
    const shownFrom = await thumbnail.getAttribute('src');
    await page.clock.fastForward(CARD_REFRESH_MS);
    await expect.poll(() => thumbnail.getAttribute('src'), { timeout: 20_000 }).not.toBe(shownFrom);
    await expect.poll(() => naturalWidth(thumbnail), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await card.getByTestId('card-placeholder').count()).toBe(0);
    await context.close();
  });

  it('never says nobody is live before a live stream\'s card appears', { timeout: 60_000 }, async () => {
    // The stream of the previous test is live. Every change to the page is watched from its first moment.
    const page = await suite.browser.newPage({ viewport: DESKTOP });
    await page.addInitScript(`
      window.__discovery = { sawEmpty: false, sawSkeleton: false };
      new MutationObserver(() => {
        const text = document.body ? document.body.textContent : '';
        if (text.includes('Nobody is live')) window.__discovery.sawEmpty = true;
        if (document.querySelector('[data-testid="stream-card-skeleton"]')) window.__discovery.sawSkeleton = true;
      }).observe(document, { childList: true, subtree: true, characterData: true });
    `);
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('region', { name: 'Live now' }).getByTestId('stream-card').filter({ hasText: 'Fresh thumbnail' }).waitFor({ timeout: 20_000 });
    const seen = (await page.evaluate('window.__discovery')) as { sawEmpty: boolean; sawSkeleton: boolean };
    expect(seen).toEqual({ sawEmpty: false, sawSkeleton: true });
    await page.close();
  });

  it('shows planned streams: ours as "Planned", another service\'s with its start time in local time', { timeout: 60_000 }, async () => {
    const streamer = new TestUser();
    const planned = await createStream(suite.server, streamer, { title: 'Planned on this service' });
    // Our 30311 for a stream not yet live is `planned` and has no `starts` (the time it is planned for comes with scheduling, issue 19).
    const ours = await liveEventAt(relayUrl(), planned.stream_id);
    expect(ours?.status).toBe('planned');
    expect(ours?.starts).toBeUndefined();

    // A host with a picture: it stands in for the missing thumbnail.
    const host = new TestUser();
    await publish(host.sign({ kind: 0, content: JSON.stringify({ name: 'Evening Eve', picture: `${suite.server.url}/api/v1/streams/${planned.stream_id}/cover.png` }) }));
    const today = new Date();
    const tomorrowAt1830 = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1, 18, 30) / 1000;
    await publish(liveEventOf(host, 'tomorrow', 'Tomorrow evening set', 'planned', [['starts', String(tomorrowAt1830)]]));

    const context = await suite.browser.newContext({ viewport: DESKTOP, locale: 'en-GB', timezoneId: 'UTC', bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/`);
    const region = page.getByRole('region', { name: 'Planned' });
    const scheduled = region.getByTestId('stream-card').filter({ hasText: 'Tomorrow evening set' });
    await scheduled.waitFor({ timeout: 20_000 });
    expect(await scheduled.getByTestId('card-planned').textContent()).toBe('Planned, starts Tomorrow 18:30');
    expect(await scheduled.locator('time').getAttribute('datetime')).toBe(new Date(tomorrowAt1830 * 1000).toISOString());
    await expect.poll(() => naturalWidth(scheduled.getByTestId('card-placeholder-picture')), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await scheduled.getByTestId('card-thumbnail').count()).toBe(0);
    const unscheduled = region.getByTestId('stream-card').filter({ hasText: 'Planned on this service' });
    await unscheduled.waitFor({ timeout: 20_000 });
    expect(await unscheduled.getByTestId('card-planned').textContent()).toBe('Planned');
    // The one with a time comes first.
    expect(await region.getByTestId('stream-card').first().textContent()).toContain('Tomorrow evening set');
    await region.scrollIntoViewIfNeeded();
    await shootAndAudit(page, 'discovery-5-planned');
    await context.close();
  });

  it('searches by title, tag and streamer name, keeps the search in ?q=, and says when nothing matches', { timeout: 90_000 }, async () => {
    const ann = new TestUser();
    const bob = new TestUser();
    await publish(
      ann.sign({ kind: 0, content: JSON.stringify({ name: 'ann', display_name: 'Annika Keys' }) }),
      bob.sign({ kind: 0, content: JSON.stringify({ name: 'Bob Drums' }) }),
      liveEventOf(ann, 'jazz', 'Late night jazz', 'live', [['t', 'piano'], ['current_participants', '3']]),
      liveEventOf(bob, 'rock', 'Garage rock hour', 'live', [['t', 'drums'], ['current_participants', '5']]),
    );
    const context = await auditContext(suite.browser, new BrowserUser());
    const page = await context.newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(`${suite.server.url}/`);
    const liveNow = page.getByRole('region', { name: 'Live now' });
    const cards = liveNow.getByTestId('stream-card');
    const jazz = cards.filter({ hasText: 'Late night jazz' });
    const rock = cards.filter({ hasText: 'Garage rock hour' });
    await jazz.waitFor({ timeout: 20_000 });
    await rock.waitFor({ timeout: 20_000 });
    // The host's name and picture (initials here: no picture) are on the card.
    await expect.poll(() => jazz.getByTestId('user-badge').textContent(), { timeout: 15_000 }).toBe('ANAnnika Keys');
    await expect.poll(() => rock.getByTestId('user-badge').textContent(), { timeout: 15_000 }).toContain('Bob Drums');

    const search = page.getByRole('search', { name: 'Search streams' }).getByRole('searchbox', { name: 'Search streams' });
    const titles = async () => (await cards.allTextContents()).map((text) => (text.includes('Late night jazz') ? 'jazz' : text.includes('Garage rock hour') ? 'rock' : 'other'));

    await search.fill('JAZZ');
    await expect.poll(titles).toEqual(['jazz']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('JAZZ');

    await search.fill('#drums');
    await expect.poll(titles).toEqual(['rock']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('#drums');

    await search.fill('annika');
    await expect.poll(titles).toEqual(['jazz']);
    await page.getByRole('status').filter({ hasText: '1 stream matches “annika”' }).waitFor();
    await shootAndAudit(page, 'discovery-6-search');

    await search.fill('polka');
    await page.getByText('No streams match “polka”').waitFor();
    expect(await cards.count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Live now' }).count()).toBe(0);
    await shootAndAudit(page, 'discovery-7-no-match');

    await search.fill('');
    await expect.poll(() => new URL(page.url()).search).toBe('');
    await expect.poll(() => cards.count()).toBeGreaterThanOrEqual(3);

    // A link to a search opens with it.
    await page.goto(`${suite.server.url}/?q=bob`);
    await expect.poll(titles, { timeout: 20_000 }).toEqual(['rock']);
    expect(await search.inputValue()).toBe('bob');
    await context.close();
  });
});

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { StreamAnalytics, StreamSummary } from '../../src/protocol/analytics.js';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { audit, auditContext } from '../../testkit/axe.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension, REVIEW_DESKTOP, REVIEW_PHONE, screenshotAtReviewSizes } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo } from '../../testkit/relay-client.js';
import { createStream, eventually } from '../../testkit/streams.js';

const DESKTOP = REVIEW_DESKTOP;
const PHONE = REVIEW_PHONE;
const shootBoth = screenshotAtReviewSizes;

/** Public addresses and the countries the shipped DB-IP database gives them, as a proxy in front of us would forward them. */
const VIEWERS = ['8.8.8.8', '9.9.9.9', '1.1.1.1', '81.2.69.142'];

/** The page at 1440x900 and 390x844, with `focus` (when given) scrolled into view at each size. */
/** Clicks a download button and returns the file's text. */
async function downloaded(page: Page, testId: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByTestId(testId).click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(file, 'utf8') };
}

/**
 * The owner's analytics with viewer geography, fed by playlist requests from known addresses
 * sent with X-Forwarded-For through a trusted proxy (TRUST_PROXY=loopback: the test is the
 * proxy); the CSV downloads; a stranger refused; anyone's summary on the ended stream's page.
 */
describe('analytics with viewer geography', () => {
  const suite = useBrowserSuite({ env: { TRUST_PROXY: 'loopback', METRICS_SAMPLE_SECONDS: '1' } });
  const streamer = new BrowserUser();
  const host = new TestUser(streamer.secret);
  let streamId = '';

  it('counts the viewers per country and shows them, with the timeline and its axes, to the owner', { timeout: 120_000 }, async () => {
    const created = await createStream(suite.server, host, { title: 'Around the world', category: 'music', record: false });
    streamId = created.stream_id;
    await suite.server.call('POST', '/api/v1/streams/auth', { json: { name: created.stream_key, call: 'publish' } });
    expect((await suite.server.call('POST', `/api/v1/streams/${streamId}/start`, { as: host })).status).toBe(200);
    const folder = path.join(suite.server.dataDir, 'hls', streamId);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'master.m3u8'), '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000\n480p/index.m3u8\n');
    for (const address of VIEWERS) {
      const response = await fetch(`${suite.server.url}/hls/${streamId}/master.m3u8`, { headers: { 'X-Forwarded-For': address } });
      expect(response.status).toBe(200);
    }
    const coordinate = liveEventCoordinate(suite.server.app.serviceKey.pubkey, streamId);
    await publishTo(suite.server.url.replace('http://', 'ws://'), new TestUser().sign(buildLiveChat({ stream: coordinate, content: 'hello from far away' }, Math.floor(Date.now() / 1000))));
    // Samples every second: wait for a timeline long enough to draw, then end the stream.
    await eventually('a timeline of three samples with the viewers', async () => {
      const { body } = await suite.server.call<StreamAnalytics>('GET', `/api/v1/streams/${streamId}/analytics`, { as: host });
      return body.timeline.length >= 3 && body.timeline.some((point) => point.viewers === VIEWERS.length) ? true : undefined;
    }, 30_000);
    expect((await suite.server.call('POST', `/api/v1/streams/${streamId}/stop`, { as: host })).status).toBe(200);

    const page = await (await auditContext(suite.browser, streamer)).newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(`${suite.server.url}/analytics/${streamId}`);
    await signInWithExtension(page);
    const rows = page.getByTestId('analytics-geography').getByTestId('country-row');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
    const table = await rows.evaluateAll((elements) => elements.map((row) => [row.getAttribute('data-country'), row.querySelector('th')?.textContent, row.querySelector('[data-testid="country-viewers"]')?.textContent]));
    expect(table).toEqual([
      ['US', 'United States', '2'],
      ['AU', 'Australia', '1'],
      ['GB', 'United Kingdom', '1'],
    ]);
    const chart = page.getByTestId('viewers-chart');
    expect(await chart.getByTestId('chart-x-label').textContent()).toBe('Time into the stream (min:s)');
    expect(await chart.getByTestId('chart-y-label').textContent()).toBe('Viewers');
    expect(await chart.getByTestId('chart-viewer-tick').allTextContents()).toEqual(['0', '2', '4']);
    expect(await page.getByTestId('figure-chatters').textContent()).toBe('1');
    expect(await page.getByTestId('figure-total-viewers').textContent()).toBe('4');
    expect(await page.getByTestId('figure-messages-per-minute').textContent()).toMatch(/^\d+(\.\d+)?$/);
    expect(await audit(page, 'analytics-geography')).toEqual([]);
    await shootBoth(page, 'analytics-geography-1-owner');
    await shootBoth(page, 'analytics-geography-2-countries', page.getByTestId('analytics-geography'));

    const countries = await downloaded(page, 'download-countries');
    expect(countries.name).toMatch(/-countries\.csv$/);
    expect(countries.text).toBe('country_code,country,viewers\r\nUS,United States,2\r\nAU,Australia,1\r\nGB,United Kingdom,1\r\n');
    const timeline = await downloaded(page, 'download-timeline');
    const lines = timeline.text.trim().split('\r\n');
    expect(lines[0]).toBe('time_utc,seconds_into_stream,viewers,chat_messages,bitrate_kbps');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.slice(1).some((line) => /^\d{4}-\d\d-\d\dT[\d:.]+Z,\d+,4,\d+,$/.test(line))).toBe(true);
  });

  it('refuses the analytics to anyone else, and asks a signed-out visitor to sign in', { timeout: 60_000 }, async () => {
    const page = await (await new BrowserUser().context(suite.browser)).newPage();
    await page.goto(`${suite.server.url}/analytics/${streamId}`);
    await expect.poll(() => page.getByTestId('analytics-sign-in').isVisible(), { timeout: 15_000 }).toBe(true);
    await signInWithExtension(page);
    await expect.poll(() => page.getByTestId('analytics-error').textContent(), { timeout: 15_000 }).toContain('Only the streamer who created this stream');
    expect(await page.getByTestId('analytics-geography').count()).toBe(0);
  });

  it('shows anyone a short summary on the ended stream’s page', { timeout: 60_000 }, async () => {
    const summary = (await suite.server.call<StreamSummary>('GET', `/api/v1/streams/${streamId}/summary`)).body;
    expect(summary.chatMessages).toBe(1);
    expect(summary.peakViewers).toBe(VIEWERS.length);
    const page = await (await auditContext(suite.browser, new BrowserUser())).newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(`${suite.server.url}/s/${streamId}`);
    const block = page.getByTestId('ended-summary').first();
    await block.waitFor({ timeout: 20_000 });
    expect(await block.getByTestId('summary-peak').textContent()).toBe(String(VIEWERS.length));
    expect(await block.getByTestId('summary-chat').textContent()).toBe('1');
    expect(await block.getByTestId('summary-duration').textContent()).toMatch(/^\d+ (second|minute)s?$/);
    expect(await page.getByTestId('country-row').count()).toBe(0);
    expect(await audit(page, 'ended-summary')).toEqual([]);
    await screenshot(page, 'analytics-geography-3-public-summary-desktop');
    // On a phone the summary is under the About tab, beside the chat.
    await page.setViewportSize(PHONE);
    await page.getByRole('tab', { name: 'About' }).click();
    const onPhone = page.getByTestId('ended-summary').filter({ visible: true });
    await onPhone.waitFor({ timeout: 10_000 });
    expect(await onPhone.getByTestId('summary-peak').textContent()).toBe(String(VIEWERS.length));
    await screenshot(page, 'analytics-geography-3-public-summary-phone');
  });
});

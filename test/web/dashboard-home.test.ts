import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LIMITS } from '../../src/protocol/stream-settings.js';
import { STREAM_KEY_PATTERN } from '../../src/protocol/stream-key.js';
import { audit } from '../../testkit/axe.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { createStream, ingestUrl } from '../../testkit/streams.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

const fontOf = z.object({ family: z.string(), size: z.number(), spacing: z.number(), height: z.number() });

/** The page at 1440×900 and 390×844, each shot and audited. */
async function shootAndAudit(page: Page, name: string): Promise<void> {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    await screenshot(page, `${name}-${size}`);
    expect(await audit(page, `${name} (${size})`)).toEqual([]);
  }
  await page.setViewportSize(DESKTOP);
}

/**
 * The dashboard as the streamer's home: the Go Live form's counters, the stream key readable,
 * buttons named for what they do here, uptime and latency once live; "My streams" on a phone
 * and the profile's own streams linking to their dashboards.
 * Screenshots: test-results/screenshots/dashboard-home-*.png.
 */
describe('the dashboard as the streamer\'s home', () => {
  const suite = useBrowserSuite();
  const host = new BrowserUser();
  const hostUser = new TestUser(host.secret);
  let listed = '';

  beforeAll(async () => {
    listed = (await createStream(suite.server, hostUser, { title: 'Listed on my profile' })).stream_id;
  });

  it('counts characters on the form, shows a readable key, and names its buttons for what they do', { timeout: 240_000 }, async () => {
    const context = await host.context(suite.browser, { bypassCSP: true });
    const page = await context.newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(`${suite.server.url}/`);
    await signInWithExtension(page);
    await page.goto(`${suite.server.url}/go-live`);

    // Counters with the API's own limits, red past them.
    const titleCount = page.getByTestId('title-count');
    const shown = (count: string) => page.getByTestId(count).locator('[aria-hidden="true"]').textContent();
    await expect.poll(() => shown('title-count')).toBe(`0 / ${LIMITS.titleMax}`);
    await page.getByLabel('Title').fill('x'.repeat(LIMITS.titleMax + 5));
    await expect.poll(() => shown('title-count')).toBe(`${LIMITS.titleMax + 5} / ${LIMITS.titleMax}`);
    expect(await titleCount.locator('.sr-only').textContent()).toBe(`${LIMITS.titleMax + 5} of ${LIMITS.titleMax} characters, too long`);
    expect(await titleCount.getAttribute('class')).toContain('text-live');
    await page.getByLabel('Title').fill('Home sweet dashboard');
    await expect.poll(() => shown('title-count')).toBe(`20 / ${LIMITS.titleMax}`);
    expect(await titleCount.getAttribute('class')).not.toContain('text-live');
    expect(await page.getByLabel('Title').getAttribute('aria-describedby')).toContain('title-count');
    await page.getByLabel('Description').fill('Chords and chat 🎸');
    // Counted as the API counts: the guitar is one character (two in UTF-16).
    await expect.poll(() => shown('description-count')).toBe(`17 / ${LIMITS.descriptionMax}`);
    await page.getByLabel('Category').selectOption('music');
    await page.getByLabel('Quality ladder (top rung)').selectOption('source');
    await shootAndAudit(page, 'dashboard-home-go-live-counters');
    await page.getByRole('button', { name: 'Create stream' }).click();
    await page.waitForURL(/\/dashboard\//, { timeout: 20_000 });
    const streamId = page.url().split('/dashboard/')[1] ?? '';

    // Before the encoder: Start broadcast waits for it; no OBS button name on our page.
    const start = page.getByRole('button', { name: 'Start broadcast' });
    await start.waitFor({ timeout: 20_000 });
    expect(await start.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: /Start streaming/i }).count()).toBe(0);
    expect(await page.getByTestId('obs-steps').textContent()).toContain('then press “Start broadcast” here');
    expect(await shown('info-title-count')).toBe(`20 / ${LIMITS.titleMax}`);

    // The key, revealed: monospace, at least 16 px, spaced, on a line tall enough for its underscores.
    await page.getByRole('button', { name: 'Reveal key' }).click();
    const keyField = page.getByRole('textbox', { name: 'Stream key', exact: true });
    const key = await keyField.inputValue();
    expect(key).toMatch(STREAM_KEY_PATTERN);
    // A string: the page has the DOM, the test's Node types do not.
    const font = fontOf.parse(
      await page.evaluate(`(() => {
        const style = getComputedStyle(document.getElementById('stream-key'));
        return { family: style.fontFamily, size: parseFloat(style.fontSize), spacing: parseFloat(style.letterSpacing) || 0, height: parseFloat(style.lineHeight) };
      })()`),
    );
    expect(font.family).toMatch(/mono/i);
    expect(font.size).toBeGreaterThanOrEqual(16);
    expect(font.spacing).toBeGreaterThan(0);
    expect(font.height).toBeGreaterThanOrEqual(font.size * 1.5);
    await keyField.scrollIntoViewIfNeeded();
    await screenshot(page, 'dashboard-home-stream-key-desktop');
    await page.setViewportSize(PHONE);
    await keyField.scrollIntoViewIfNeeded();
    await screenshot(page, 'dashboard-home-stream-key-phone');
    // All of the key shows, wrapped if need be, at the phone's width too.
    expect(await keyField.evaluate((element) => element.scrollWidth <= element.clientWidth && element.scrollHeight <= element.clientHeight)).toBe(true);
    await page.setViewportSize(DESKTOP);

    // Live: uptime ticking beside the status, latency on the preview.
    suite.publisher = pushTestPattern(ingestUrl(suite.server, key), { seconds: 200, size: '640x360' });
    await expect.poll(() => start.isEnabled(), { timeout: 60_000 }).toBe(true);
    await start.click();
    await expect.poll(() => page.getByTestId('stream-status').textContent(), { timeout: 30_000 }).toBe('LIVE');
    const uptime = page.getByTestId('stream-uptime');
    await uptime.waitFor({ timeout: 20_000 });
    const first = (await uptime.textContent()) ?? '';
    expect(first).toMatch(/^\d+:\d{2}(:\d{2})?$/);
    expect(await uptime.getAttribute('aria-label')).toMatch(/^Live for /);
    await expect.poll(() => uptime.textContent(), { timeout: 10_000 }).not.toBe(first);
    const latency = page.getByTestId('latency-readout');
    await latency.waitFor({ timeout: 60_000 });
    expect(await latency.textContent()).toMatch(/^Latency \d+\.\d s$/);

    // Pause and resume the broadcast, not the preview; End stream asks first.
    await page.getByRole('button', { name: 'Pause broadcast' }).click();
    await page.getByRole('button', { name: 'Resume broadcast' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Resume broadcast' }).click();
    await page.getByRole('button', { name: 'Pause broadcast' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'End stream', exact: true }).click();
    await page.getByRole('button', { name: 'End stream now' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'End stream now' }).waitFor({ state: 'detached' });
    // The top of the page: title, status, uptime, and the preview with its latency.
    await page.evaluate('window.scrollTo(0, 0)');
    await shootAndAudit(page, 'dashboard-home-live');
    expect(streamId).not.toBe('');
    await context.close();
  });

  it('reaches My streams on a phone, and links one\'s own streams on the profile to their dashboards', { timeout: 120_000 }, async () => {
    const context = await host.context(suite.browser, { phone: true, bypassCSP: true });
    const page = await context.newPage();
    await page.setViewportSize(PHONE);
    await page.goto(`${suite.server.url}/`);
    await signInWithExtension(page);
    const myStreams = page.getByRole('link', { name: 'My streams' });
    await myStreams.waitFor();
    const box = await myStreams.boundingBox();
    if (!box) throw new Error('My streams is not rendered');
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await shootAndAudit(page, 'dashboard-home-header-signed-in');
    await page.setViewportSize(PHONE);
    await myStreams.click();
    await page.getByRole('heading', { name: 'My streams' }).waitFor();

    // The profile: the owner's own streams each link to their dashboard.
    await page.goto(`${suite.server.url}/p/${host.pubkey}`);
    const toDashboard = page.getByRole('link', { name: 'Dashboard for Listed on my profile' });
    await toDashboard.waitFor({ timeout: 20_000 });
    await shootAndAudit(page, 'dashboard-home-own-profile');
    await toDashboard.click();
    await page.waitForURL(`${suite.server.url}/dashboard/${listed}`);
    await page.getByRole('heading', { name: 'Listed on my profile' }).waitFor({ timeout: 20_000 });
    await context.close();

    // A visitor sees the same stream listed, with no dashboard link.
    const visitor = await suite.browser.newPage();
    await visitor.goto(`${suite.server.url}/p/${host.pubkey}`);
    await visitor.getByRole('link', { name: 'Listed on my profile' }).first().waitFor({ timeout: 20_000 });
    expect(await visitor.getByRole('link', { name: /^Dashboard/ }).count()).toBe(0);
    await visitor.close();
  });
});

import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { StreamView } from '../../src/protocol/api-views.js';
import { audit, auditContext } from '../../testkit/axe.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension, REVIEW_DESKTOP, REVIEW_PHONE, screenshotAtReviewSizes } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';

const DESKTOP = REVIEW_DESKTOP;
const PHONE = REVIEW_PHONE;
const shootBoth = screenshotAtReviewSizes;

/** `YYYYMMDDTHHMMSSZ`, as RFC 5545 writes a UTC date-time. */
const icsTime = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * A planned stream, end to end in the browser: chosen in Go Live, shown on the discovery card
 * and counted down on the stream page ("Starts in …", then "Starting soon"), downloadable as an
 * .ics, and moved or cleared from the dashboard.
 */
describe('scheduling a stream', () => {
  const suite = useBrowserSuite();
  const streamer = new BrowserUser();
  const streamerUser = new TestUser(streamer.secret);

  it('plans a stream in Go Live, counts down to it, offers the calendar file, and lists it as planned', { timeout: 150_000 }, async () => {
    const page = await (await auditContext(suite.browser, streamer)).newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(`${suite.server.url}/`);
    await signInWithExtension(page);
    await page.goto(`${suite.server.url}/go-live`);
    await page.getByLabel('Title', { exact: true }).fill('Sunday standards, live');
    await page.getByLabel('Category').selectOption('music');
    // Two hours and a quarter from the start of this minute, in the browser's own time zone.
    // And an hour after that, for the dashboard to move it to.
    const [{ value, seconds }, later] = await page.evaluate(() => {
      const pad = (part: number) => String(part).padStart(2, '0');
      const local = (at: Date) => ({
        value: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`,
        seconds: at.getTime() / 1000,
      });
      const start = Math.floor(Date.now() / 60_000) * 60_000 + (2 * 60 + 15) * 60_000;
      return [local(new Date(start)), local(new Date(start + 3_600_000))] as const;
    });
    await page.getByLabel('Planned start (optional)').fill(value);
    expect(await audit(page, 'go live, planned start')).toEqual([]);
    await page.getByLabel('Planned start (optional)').scrollIntoViewIfNeeded();
    await shootBoth(page, 'scheduling-1-go-live');
    await page.getByRole('button', { name: 'Create stream' }).click();
    await page.waitForURL(/\/dashboard\//, { timeout: 20_000 });
    const id = page.url().split('/dashboard/')[1] ?? '';

    const status = await suite.server.call<StreamView>('GET', `/api/v1/streams/${id}/status`);
    expect(status.body.starts_at).toBe(seconds);
    const card = page.getByTestId('schedule-card');
    await card.getByTestId('schedule-status').locator('time').waitFor({ timeout: 15_000 });
    expect(await card.getByTestId('schedule-status').locator('time').getAttribute('datetime')).toBe(new Date(seconds * 1000).toISOString());

    // The stream page, as a viewer who is not signed in sees it.
    const viewer = await (await auditContext(suite.browser, new BrowserUser())).newPage();
    await viewer.setViewportSize(DESKTOP);
    await viewer.goto(`${suite.server.url}/s/${id}`);
    const countdown = viewer.getByTestId('countdown');
    await countdown.waitFor({ timeout: 20_000 });
    expect(await countdown.textContent()).toMatch(/^Starts in 2 h 1[45] min$/);
    expect(await countdown.getAttribute('aria-label')).toMatch(/^Starts in 2 hours 1[45] minutes$/);
    expect(await audit(viewer, 'stream page, planned')).toEqual([]);
    await shootBoth(viewer, 'scheduling-2-countdown');

    const [download] = await Promise.all([viewer.waitForEvent('download'), viewer.getByRole('link', { name: 'Add to calendar' }).click()]);
    expect(download.suggestedFilename()).toBe(`stream-${id}.ics`);
    const ics = await readFile((await download.path()) ?? '', 'utf8');
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics).toContain('\r\nBEGIN:VEVENT\r\n');
    expect(ics).toContain(`\r\nDTSTART:${icsTime(seconds)}\r\n`);
    expect(ics).toContain('\r\nSUMMARY:Sunday standards\\, live\r\n');
    expect(ics).toContain(`\r\nURL:${suite.server.url}/s/${id}\r\n`);
    expect(ics).toMatch(/\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/);
    expect(ics.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);

    // Past the planned time and not live yet: "Starting soon" (the page's clock is moved, the timers run as they do).
    await viewer.clock.setFixedTime((seconds + 30) * 1000);
    await expect.poll(() => countdown.textContent(), { timeout: 20_000 }).toBe('Starting soon');
    await screenshot(viewer, 'scheduling-3-starting-soon-desktop');

    // Discovery lists it under Planned with its start.
    const home = await (await auditContext(suite.browser, new BrowserUser())).newPage();
    await home.setViewportSize(DESKTOP);
    await home.goto(`${suite.server.url}/`);
    const plannedCard = home.getByTestId('stream-card').filter({ hasText: 'Sunday standards, live' });
    await plannedCard.getByTestId('card-planned').waitFor({ timeout: 20_000 });
    expect(await plannedCard.getByTestId('card-planned').locator('time').getAttribute('datetime')).toBe(new Date(seconds * 1000).toISOString());
    expect(await audit(home, 'discovery, planned card')).toEqual([]);
    await shootBoth(home, 'scheduling-4-discovery');

    // The dashboard moves the plan an hour later, then clears it.
    await card.getByLabel('Planned start (optional)').fill(later.value);
    await card.getByRole('button', { name: 'Save planned start' }).click();
    await expect.poll(async () => (await suite.server.call<StreamView>('GET', `/api/v1/streams/${id}/status`)).body.starts_at, { timeout: 15_000 }).toBe(later.seconds);
    expect(await audit(page, 'dashboard, schedule card')).toEqual([]);
    await card.scrollIntoViewIfNeeded();
    await shootBoth(page, 'scheduling-5-dashboard');
    await card.getByRole('button', { name: 'Clear planned start' }).click();
    await card.getByText('Not scheduled: viewers see the stream when it goes live.').waitFor({ timeout: 15_000 });
    expect((await suite.server.call<StreamView>('GET', `/api/v1/streams/${id}/status`, { as: streamerUser })).body.starts_at).toBeNull();

    for (const opened of [page, viewer, home]) await opened.context().close();
  });
});


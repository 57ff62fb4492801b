import { setTimeout as sleep } from 'node:timers/promises';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { weblnInitScript } from '../../testkit/lnurl-wallet.js';
import { TestUser } from '../../testkit/nostr.js';
import { createStream } from '../../testkit/streams.js';
import { started } from '../../testkit/suites.js';
import { zapInPage as zap, useZappableStream } from '../../testkit/zap-page.js';

/**
 * NIP-75 goals in the browser: set from the dashboard or the Go Live form (a 9041 signed by the
 * streamer), and the stream page's goal bar by the one rule (goalProgress): the host's zaps from the
 * goal's creation, closed by the zap that reaches it or by the stream's end.
 */
describe('zap goal', () => {
  const suite = useBrowserSuite();
  const streamer = new BrowserUser();
  const host = new TestUser(streamer.secret);
  // One wallet (and one kind 0 naming it) for every stream of this host.
  const zappable = useZappableStream(suite, host, { name: 'Goal Getter', title: 'Goal' });
  let studio: BrowserContext | undefined;

  /** The streamer's browser, signed in once: its pages share the session. */
  async function streamerPage(path: string): Promise<Page> {
    if (!studio) {
      studio = await streamer.context(suite.browser);
      const first = await studio.newPage();
      await first.goto(`${suite.server.url}/`);
      await signInWithExtension(first);
      await first.close();
    }
    const page = await studio.newPage();
    await page.goto(`${suite.server.url}${path}`);
    return page;
  }
  async function setGoal(dashboard: Page, sats: number, description: string): Promise<void> {
    await dashboard.getByLabel('Target (sats)').fill(String(sats));
    await dashboard.getByLabel('What it is for').fill(description);
    await dashboard.getByRole('button', { name: 'Set goal' }).click();
    await expect.poll(() => dashboard.getByTestId('goal-status').textContent(), { timeout: 20_000 }).toContain('Goal open');
  }
  /** A signed-in viewer with a WebLN wallet, on the stream page. */
  async function viewerOn(id: string): Promise<Page> {
    const context = await new BrowserUser().context(suite.browser);
    await context.addInitScript(weblnInitScript(zappable.wallet));
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/s/${id}`);
    await signInWithExtension(page);
    return page;
  }
  async function zapped(page: Page, sats: number, comment: string): Promise<void> {
    await zap(page, sats, comment);
    await page.getByRole('status').filter({ hasText: 'Zapped!' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
  }
  const progressOf = (page: Page) => page.getByTestId('goal-progress').textContent();

  it('sets a 200-sat goal on the dashboard; a 100-sat zap shows the bar at 50 %', { timeout: 120_000 }, async () => {
    const dashboard = await streamerPage(`/dashboard/${zappable.streamId}`);
    await setGoal(dashboard, 200, 'A new microphone');
    const view = await suite.server.call<{ goal: string | null }>('GET', `/api/v1/streams/${zappable.streamId}/status`);
    expect(view.body.goal).toMatch(/^[0-9a-f]{64}$/);

    const page = await viewerOn(zappable.streamId);
    const bar = page.getByTestId('goal-bar');
    await bar.waitFor({ timeout: 20_000 });
    expect(await bar.textContent()).toContain('A new microphone');
    expect(await progressOf(page)).toContain('0 / 200 sats (0 %)');

    await zapped(page, 100, 'Halfway there');
    await expect.poll(() => progressOf(page), { timeout: 20_000 }).toContain('100 / 200 sats (50 %)');
    expect(await bar.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    expect(await bar.getAttribute('data-status')).toBe('open');
    expect(await bar.textContent()).not.toContain('Goal reached');
    await expect.poll(() => dashboard.getByTestId('goal-status').textContent(), { timeout: 20_000 }).toContain('Goal open: “A new microphone”, 100 / 200 sats (50 %)');
    await screenshot(page, 'zap-goal-half');
  });

  it('counts no zap from before the goal, and shows “Goal reached” with a full bar at the zap that reaches it', { timeout: 120_000 }, async () => {
    const { stream_id: id } = await createStream(suite.server, host, { title: `Goal reached ${Date.now()}` });
    const page = await viewerOn(id);
    await zapped(page, 50, 'Before any goal');
    await expect.poll(() => page.getByTestId('zap-total').textContent(), { timeout: 20_000 }).toContain('50 sats');
    // A goal counts from its creation, to the second: let that second pass.
    const paidAt = started(zappable.wallet.receipts.at(-1), 'receipt').created_at;
    while (Math.floor(Date.now() / 1000) <= paidAt) await sleep(50);

    const dashboard = await streamerPage(`/dashboard/${id}`);
    await setGoal(dashboard, 100, 'Strings for the guitar');
    const bar = page.getByTestId('goal-bar');
    await bar.waitFor({ timeout: 20_000 });
    expect(await progressOf(page)).toContain('0 / 100 sats (0 %)');

    await zapped(page, 100, 'There you go');
    await expect.poll(() => bar.getAttribute('data-status'), { timeout: 20_000 }).toBe('reached');
    expect(await page.getByTestId('goal-state').textContent()).toMatch(/^Goal reached at \d/);
    expect(await progressOf(page)).toContain('100 / 100 sats (100 %)');
    expect(await bar.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    // The host's total still has both zaps: the goal counts only its own.
    expect(await page.getByTestId('zap-total').textContent()).toContain('150 sats');
    await expect.poll(() => dashboard.getByTestId('goal-status').textContent(), { timeout: 20_000 }).toMatch(/^Goal reached at \d.*100 \/ 100 sats/);
    await screenshot(page, 'zap-goal-reached');
  });

  it('closes an unreached goal when the streamer ends the stream: “Goal closed”', { timeout: 120_000 }, async () => {
    const { stream_id: id } = await createStream(suite.server, host, { title: `Goal closed ${Date.now()}` });
    const dashboard = await streamerPage(`/dashboard/${id}`);
    await setGoal(dashboard, 1000, 'A tour van');
    const page = await viewerOn(id);
    await zapped(page, 21, 'A start');
    await expect.poll(() => progressOf(page), { timeout: 20_000 }).toContain('21 / 1,000 sats (2 %)');

    await dashboard.getByRole('button', { name: 'End stream' }).click();
    await dashboard.getByRole('button', { name: 'End stream now' }).click();
    await expect.poll(() => dashboard.getByTestId('goal-status').textContent(), { timeout: 20_000 }).toMatch(/^Goal closed at \d.*21 \/ 1,000 sats/);
    const bar = page.getByTestId('goal-bar');
    await expect.poll(() => bar.getAttribute('data-status'), { timeout: 20_000 }).toBe('closed');
    expect(await page.getByTestId('goal-state').textContent()).toMatch(/^Goal closed at \d/);
    expect(await progressOf(page)).toContain('21 / 1,000 sats (2 %)');
    await screenshot(page, 'zap-goal-closed');
  });

  it('sets the goal from the Go Live form; the stream page shows it', { timeout: 120_000 }, async () => {
    const form = await streamerPage('/go-live');
    await form.getByLabel('Title', { exact: true }).fill('Goal from the form');
    await form.getByLabel('Category').selectOption('music');
    await form.getByLabel('Target (sats)').fill('0');
    await form.getByLabel('What it is for').fill('New strings');
    await form.getByRole('button', { name: 'Create stream' }).click();
    // Checked before anything is created.
    await expect.poll(() => form.locator('#goal_sats-error').textContent()).toContain('whole number of sats, more than 0');
    expect(form.url()).toMatch(/\/go-live$/);
    await form.getByLabel('Target (sats)').fill('500');
    await screenshot(form, 'zap-goal-go-live-form');
    await form.getByRole('button', { name: 'Create stream' }).click();
    await form.waitForURL(/\/dashboard\//);
    const id = form.url().split('/dashboard/')[1] ?? '';
    await expect.poll(() => form.getByTestId('goal-status').textContent(), { timeout: 20_000 }).toContain('Goal open: “New strings”, 0 / 500 sats (0 %)');

    const page = await (await suite.browser.newContext()).newPage();
    await page.goto(`${suite.server.url}/s/${id}`);
    const bar = page.getByTestId('goal-bar');
    await bar.waitFor({ timeout: 20_000 });
    expect(await bar.textContent()).toContain('New strings');
    expect(await progressOf(page)).toContain('0 / 500 sats (0 %)');
  });

  it('keeps the stream when the goal cannot be set after it is created, says why on the dashboard, and sets it from there', { timeout: 120_000 }, async () => {
    // The streamer's extension declines to sign the goal, as its user may.
    const context = await streamer.context(suite.browser);
    await context.addInitScript(`{
      const sign = window.nostr.signEvent;
      window.refuseGoals = true;
      window.nostr.signEvent = async (template) => {
        if (template.kind === 9041 && window.refuseGoals) throw new Error('the signer declined to sign the goal');
        return sign(template);
      };
    }`);
    const form = await context.newPage();
    await form.goto(`${suite.server.url}/`);
    await signInWithExtension(form);
    await form.goto(`${suite.server.url}/go-live`);
    await form.getByLabel('Title', { exact: true }).fill('Goal declined');
    await form.getByLabel('Category').selectOption('music');
    await form.getByLabel('Target (sats)').fill('300');
    await form.getByLabel('What it is for').fill('A drum kit');
    await form.getByRole('button', { name: 'Create stream' }).click();
    await form.waitForURL(/\/dashboard\//);
    const id = form.url().split('/dashboard/')[1] ?? '';
    expect((await suite.server.call<{ title: string; goal: string | null }>('GET', `/api/v1/streams/${id}/status`)).body).toMatchObject({ title: 'Goal declined', goal: null });
    const notSet = form.getByTestId('goal-not-set');
    await notSet.waitFor({ timeout: 20_000 });
    expect(await notSet.textContent()).toBe('The goal from the Go Live form was not set (the signer declined to sign the goal). Set it again here.');
    await screenshot(form, 'zap-goal-not-set');

    await form.evaluate('window.refuseGoals = false');
    await form.getByLabel('Target (sats)').fill('300');
    await form.getByLabel('What it is for').fill('A drum kit');
    await form.getByRole('button', { name: 'Set goal' }).click();
    await expect.poll(() => form.getByTestId('goal-status').textContent(), { timeout: 20_000 }).toContain('Goal open: “A drum kit”');
    expect(await notSet.count()).toBe(0);
  });
});

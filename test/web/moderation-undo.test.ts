import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { buildModeration, type ModerationAction } from '../../src/protocol/moderation.js';
import { audit, auditContext } from '../../testkit/axe.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension, REVIEW_DESKTOP, REVIEW_PHONE, screenshotAtReviewSizes } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo } from '../../testkit/relay-client.js';
import { createStream } from '../../testkit/streams.js';

const DESKTOP = REVIEW_DESKTOP;
const PHONE = REVIEW_PHONE;
const shootBoth = screenshotAtReviewSizes;

const now = () => Math.floor(Date.now() / 1000);

/**
 * Moderation that undoes, from the dashboard's Moderation card: a ban lifted, a time-out lifted
 * (kind 9000), and a removed message restored by a NIP-09 deletion of the removal, which the
 * relay honours and every open chat follows without a reload.
 */
describe('moderation that undoes', () => {
  const suite = useBrowserSuite();
  const ws = () => suite.server.url.replace('http://', 'ws://');
  const host = new BrowserUser();
  const hostUser = new TestUser(host.secret);
  const troll = new TestUser();
  const loud = new TestUser();

  it('lists bans, time-outs and removed messages, and lifts and restores them', { timeout: 150_000 }, async () => {
    const created = await createStream(suite.server, hostUser, { title: 'Second chances', record: false });
    const stream = liveEventCoordinate(suite.server.app.serviceKey.pubkey, created.stream_id);
    const chat = (user: TestUser, content: string) => publishTo(ws(), user.sign(buildLiveChat({ stream, content }, now())));
    const moderate = (action: ModerationAction, at: number) => publishTo(ws(), hostUser.sign(buildModeration({ stream, action }, at)));

    await chat(troll, 'a perfectly fine remark');
    await chat(loud, 'TOO LOUD');
    await moderate({ type: 'ban', user: troll.pubkey }, now() - 2);
    const until = now() + 600;
    await moderate({ type: 'ban', user: loud.pubkey, until }, now() - 1);

    const dashboard = await (await auditContext(suite.browser, host)).newPage();
    await dashboard.setViewportSize(DESKTOP);
    await dashboard.goto(`${suite.server.url}/dashboard/${created.stream_id}`);
    await signInWithExtension(dashboard);

    // Removed from the dashboard's chat, as hosts do today.
    const remark = dashboard.getByRole('region', { name: 'Live chat' }).getByTestId('chat-message').filter({ hasText: 'a perfectly fine remark' });
    await remark.waitFor({ timeout: 20_000 });
    await remark.getByRole('button', { name: 'More actions' }).click();
    await dashboard.getByRole('menuitem', { name: 'Remove message' }).click();
    await remark.waitFor({ state: 'detached', timeout: 15_000 });

    // A viewer who arrives now never receives it: the relay leaves it out.
    const viewer = await (await new BrowserUser().context(suite.browser)).newPage();
    await viewer.goto(`${suite.server.url}/s/${created.stream_id}`);
    const viewerChat = viewer.getByRole('region', { name: 'Live chat' });
    await viewerChat.getByTestId('chat-message').filter({ hasText: 'TOO LOUD' }).waitFor({ timeout: 20_000 });
    expect(await viewerChat.getByText('a perfectly fine remark').count()).toBe(0);

    const card = dashboard.getByTestId('moderation-card');
    const bans = card.getByTestId('moderation-ban');
    await expect.poll(() => bans.count(), { timeout: 15_000 }).toBe(2);
    const timedOut = bans.filter({ has: dashboard.getByRole('button', { name: 'Lift time-out' }) });
    const localEnd = await dashboard.evaluate(
      (seconds) => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(new Date(seconds * 1000)),
      until,
    );
    expect(await timedOut.textContent()).toContain(`Time-out ends Today ${localEnd}`);
    const banned = bans.filter({ has: dashboard.getByRole('button', { name: 'Unban' }) });
    expect(await banned.textContent()).toContain('Banned');
    // The removed message itself, read from the relay as the host.
    const removed = card.getByTestId('moderation-removed');
    await removed.filter({ hasText: 'a perfectly fine remark' }).waitFor({ timeout: 20_000 });
    await card.scrollIntoViewIfNeeded();
    expect(await audit(dashboard, 'dashboard, moderation card')).toEqual([]);
    await shootBoth(dashboard, 'moderation-undo-1-card');

    await removed.getByRole('button', { name: 'Restore' }).click();
    await removed.waitFor({ state: 'detached', timeout: 15_000 });
    await card.getByText('No messages removed.').waitFor();
    // Every open chat shows it again as the deletion arrives: the viewer's (who never had it) and the host's.
    await viewerChat.getByTestId('chat-message').filter({ hasText: 'a perfectly fine remark' }).waitFor({ timeout: 20_000 });
    await dashboard.getByRole('region', { name: 'Live chat' }).getByTestId('chat-message').filter({ hasText: 'a perfectly fine remark' }).waitFor({ timeout: 20_000 });

    await expect(chat(loud, 'sorry')).rejects.toThrow(/^blocked: you are timed out/);
    await timedOut.getByRole('button', { name: 'Lift time-out' }).click();
    await expect.poll(() => bans.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => chat(loud, 'sorry, quieter now').then(() => 'sent', (error: unknown) => String(error)), { timeout: 15_000 }).toBe('sent');

    await expect(chat(troll, 'let me back')).rejects.toThrow(/^blocked: the host has banned you/);
    await banned.getByRole('button', { name: 'Unban' }).click();
    await card.getByText('Nobody is banned or timed out.').waitFor({ timeout: 15_000 });
    await expect.poll(() => chat(troll, 'thanks').then(() => 'sent', (error: unknown) => String(error)), { timeout: 15_000 }).toBe('sent');
    await viewerChat.getByTestId('chat-message').filter({ hasText: 'thanks' }).waitFor({ timeout: 20_000 });
    await shootBoth(dashboard, 'moderation-undo-2-undone');

    // What the relay holds agrees after a reload.
    await dashboard.reload();
    await dashboard.getByTestId('moderation-card').getByText('Nobody is banned or timed out.').waitFor({ timeout: 20_000 });
    await dashboard.getByTestId('moderation-card').getByText('No messages removed.').waitFor();
    await dashboard.context().close();
    await viewer.context().close();
  });
});

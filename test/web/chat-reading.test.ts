import { createServer, type Server } from 'node:http';
import type { VerifiedEvent } from 'nostr-tools/pure';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';
import { auditContext, audit, focused } from '../../testkit/axe.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension, REVIEW_DESKTOP, REVIEW_PHONE, screenshotAtReviewSizes } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo, queryRelay, Relay } from '../../testkit/relay-client.js';
import { createStream, type Created } from '../../testkit/streams.js';

const DESKTOP = REVIEW_DESKTOP;
const PHONE = REVIEW_PHONE;
const shootBoth = screenshotAtReviewSizes;
// A 1×1 PNG: the custom emoji's picture, served over http from elsewhere, as an emoji host would.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** The `msg-NN` tokens of the chat's rows, top to bottom. */
const order = async (chat: Locator) => (await chat.getByTestId('chat-message').allTextContents()).map((text) => /msg-\d\d/.exec(text)?.[0] ?? text);
/** Ids sorted as the chat must show them: created_at, then id. */
const expected = (events: VerifiedEvent[]) => [...events].sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1)).map((event) => event.content.split(' ')[0] ?? '');

/** Chat that reads well: one order, times, badges, custom emoji, a menu per message, confirmations, words for people. */
describe('chat reading', () => {
  const suite = useBrowserSuite();
  const ws = () => suite.server.url.replace('http://', 'ws://');
  const host = new BrowserUser();
  const hostUser = new TestUser(host.secret);
  const moderator = new TestUser();
  const ann = new TestUser();
  const bob = new TestUser();
  const viewer = new BrowserUser();
  let created: Created;
  let pictures: Server;
  let emojiUrl = '';
  const history: VerifiedEvent[] = [];
  const say = (user: TestUser, index: number, at: number, extra = '', tags: string[][] = []) => {
    const stream = liveEventCoordinate(suite.server.app.serviceKey.pubkey, created.stream_id);
    const template = buildLiveChat({ stream, content: `msg-${String(index).padStart(2, '0')}${extra}` }, at);
    return user.sign({ ...template, tags: [...template.tags, ...tags] });
  };

  beforeAll(async () => {
    pictures = createServer((_request, response) => response.writeHead(200, { 'content-type': 'image/png' }).end(PNG));
    await new Promise<void>((resolve) => pictures.listen(0, '127.0.0.1', resolve));
    const address = pictures.address();
    emojiUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/wave.png`;
    created = await createStream(suite.server, hostUser, { title: 'Chat that reads well' });
    const named = await suite.server.call('PATCH', `/api/v1/streams/${created.stream_id}`, { as: hostUser, json: { moderators: [moderator.pubkey] } });
    expect(named.status).toBe(200);
    await publishTo(
      ws(),
      ...[
        [hostUser, 'Hal Host'],
        [moderator, 'Mo Moderator'],
        [ann, 'Ann Chatter'],
        [bob, 'Bob Chatter'],
        [new TestUser(viewer.secret), 'Vic Viewer'],
      ].map(([user, name]) => (user as TestUser).sign({ kind: 0, content: JSON.stringify({ name }) })),
    );
    // Several messages share each second; they are published out of order.
    const now = Math.floor(Date.now() / 1000);
    history.push(
      say(ann, 4, now - 50),
      say(bob, 7, now - 60),
      say(hostUser, 10, now - 60, ' welcome from the host'),
      say(moderator, 8, now - 60, ' the moderator speaks'),
      say(ann, 9, now - 50, ' hello :wave:', [['emoji', 'wave', emojiUrl]]),
      say(bob, 11, now - 50),
      say(ann, 15, now - 40),
      say(bob, 14, now - 40),
    );
    await publishTo(ws(), ...history);
  }, 60_000);

  afterAll(() => pictures?.close());

  it('shows history and live messages in one order, with times, badges, emoji and one sign-in prompt', { timeout: 120_000 }, async () => {
    const guest = await (await new BrowserUser().context(suite.browser)).newPage();
    await guest.setViewportSize(DESKTOP);
    await guest.goto(`${suite.server.url}/s/${created.stream_id}`);
    const chat = guest.getByRole('region', { name: 'Live chat' });
    await expect.poll(() => chat.getByTestId('chat-message').count(), { timeout: 20_000 }).toBe(history.length);
    expect(await order(chat)).toEqual(expected(history));

    // Live messages sharing seconds with the history land in their place, not at the bottom.
    const at = history[0]?.created_at ?? 0;
    const live = [say(bob, 20, at), say(ann, 21, at - 10), say(bob, 22, at)];
    for (const event of live) await publishTo(ws(), event);
    await expect.poll(() => chat.getByTestId('chat-message').count(), { timeout: 20_000 }).toBe(history.length + live.length);
    expect(await order(chat)).toEqual(expected([...history, ...live]));

    // Host and Mod next to their names.
    const row = (token: string) => chat.getByTestId('chat-message').filter({ hasText: token });
    expect(await row('welcome from the host').getByTestId('role-badge').textContent()).toBe('Host');
    expect(await row('the moderator speaks').getByTestId('role-badge').textContent()).toBe('Mod');
    expect(await row('msg-04').getByTestId('role-badge').count()).toBe(0);

    // NIP-30: the emoji is a picture, and the page's Content-Security-Policy lets it load.
    const wave = row('hello').getByRole('img', { name: ':wave:' });
    await wave.waitFor();
    expect(await wave.getAttribute('src')).toBe(emojiUrl);
    await expect.poll(() => wave.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth), { timeout: 10_000 }).toBe(1);

    // The time shows on hover, with the local date and time in its title.
    await guest.mouse.move(0, 0);
    const time = row('msg-04').locator('time');
    expect(await time.isVisible()).toBe(false);
    await row('msg-04').hover();
    await time.waitFor({ state: 'visible' });
    const createdAt = history[0]?.created_at ?? 0;
    expect(await time.getAttribute('dateTime')).toBe(new Date(createdAt * 1000).toISOString());
    expect(await time.getAttribute('title')).toBe(await guest.evaluate((seconds) => new Date(seconds * 1000).toLocaleString(), createdAt));
    await shootBoth(guest, 'chat-reading-1-order-and-badges');

    // Signed out: one prompt, not a sentence and a button saying the same.
    expect(await guest.getByText('Sign in to chat').count()).toBe(1);
    expect(await chat.getByRole('button', { name: 'Sign in to chat' }).count()).toBe(1);
    expect(await chat.getByRole('button', { name: 'More actions' }).count()).toBe(0);
    await guest.context().close();
    // The audit injects axe past the Content-Security-Policy, so it looks from a context of its own (the emoji above loaded under the real one).
    const audited = await (await auditContext(suite.browser, new BrowserUser())).newPage();
    await audited.setViewportSize(DESKTOP);
    await audited.goto(`${suite.server.url}/s/${created.stream_id}`);
    await audited.getByRole('region', { name: 'Live chat' }).getByRole('img', { name: ':wave:' }).waitFor({ timeout: 20_000 });
    expect(await audit(audited, 'chat, signed out')).toEqual([]);
    await audited.context().close();
  });

  it('puts each message’s actions in one menu, reachable by keyboard; mute asks first and can be undone', { timeout: 120_000 }, async () => {
    const page = await (await auditContext(suite.browser, viewer)).newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(`${suite.server.url}/s/${created.stream_id}`);
    await signInWithExtension(page);
    const chat = page.getByRole('region', { name: 'Live chat' });
    const annRows = chat.getByTestId('chat-message').filter({ hasText: 'Ann Chatter' });
    await expect.poll(() => annRows.count(), { timeout: 20_000 }).toBeGreaterThan(2);
    const annCount = await annRows.count();

    // Tab from the history reaches the first message's menu button, which shows itself when focused.
    await chat.getByRole('list', { name: 'Chat history' }).focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button "More actions"');
    // A string: the page has the DOM, the test's Node types do not.
    await expect.poll(() => page.evaluate('getComputedStyle(document.activeElement.parentElement).opacity'), { timeout: 5_000 }).toBe('1');
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu');
    await menu.waitFor();
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatch(/^menuitem /);
    expect(await audit(page, 'chat, actions menu')).toEqual([]);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await focused(page)).toBe('button "More actions"');
    // Shot after the focus checks, each size with its menu open: the phone size lays the page out anew.
    for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
      await page.setViewportSize(viewport);
      await annRows.first().getByRole('button', { name: 'More actions' }).click();
      await menu.waitFor();
      await screenshot(page, `chat-reading-2-actions-menu-${size}`);
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'detached' });
    }
    await page.setViewportSize(DESKTOP);

    // Mute asks first, then hides Ann's messages; the toast's Undo brings them back.
    await annRows.first().getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Mute Ann Chatter' }).click();
    const confirm = page.getByRole('dialog', { name: 'Mute Ann Chatter?' });
    await confirm.waitFor();
    expect(await annRows.count()).toBe(annCount);
    expect(await audit(page, 'chat, mute confirmation')).toEqual([]);
    await shootBoth(page, 'chat-reading-3-mute-confirmation');
    await confirm.getByRole('button', { name: 'Mute', exact: true }).click();
    await expect.poll(() => annRows.count(), { timeout: 15_000 }).toBe(0);
    const toast = page.getByTestId('toast').filter({ hasText: 'Muted Ann Chatter' });
    await toast.waitFor();
    await screenshot(page, 'chat-reading-4-muted-toast-desktop');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => annRows.count(), { timeout: 15_000 }).toBe(annCount);
    const relay = await Relay.connect(ws());
    const [list] = await queryRelay(relay, [{ kinds: [10000], authors: [viewer.pubkey] }]);
    relay.close();
    expect(list?.tags.filter((tag) => tag[0] === 'p' && tag[1] === ann.pubkey)).toEqual([]);
    await page.context().close();
  });

  it('times a chatter out through a dialog; the chatter reads the end in local time, without the relay’s prefix', { timeout: 120_000 }, async () => {
    const dashboard = await (await auditContext(suite.browser, host)).newPage();
    await dashboard.setViewportSize(DESKTOP);
    await dashboard.goto(`${suite.server.url}/dashboard/${created.stream_id}`);
    await signInWithExtension(dashboard);
    const chatter = await (await viewer.context(suite.browser)).newPage();
    await chatter.setViewportSize(DESKTOP);
    await chatter.goto(`${suite.server.url}/s/${created.stream_id}`);
    await signInWithExtension(chatter);
    const input = chatter.getByRole('region', { name: 'Live chat' }).getByLabel('Message');
    await input.fill('msg-30 before the time-out');
    await input.press('Enter');

    const theirs = dashboard.getByTestId('chat-message').filter({ hasText: 'msg-30' });
    await theirs.waitFor({ timeout: 20_000 });
    // No second row of moderation buttons: everything is in the menu.
    expect(await dashboard.getByRole('button', { name: /^(Remove|Ban|Time out)/ }).count()).toBe(0);
    await theirs.getByRole('button', { name: 'More actions' }).click();
    await dashboard.getByRole('menuitem', { name: 'Time out Vic Viewer' }).click();
    const dialog = dashboard.getByRole('dialog', { name: 'Time out Vic Viewer?' });
    await dialog.getByLabel('Length').selectOption('5');
    expect(await audit(dashboard, 'dashboard, time-out dialog')).toEqual([]);
    await shootBoth(dashboard, 'chat-reading-5-time-out-dialog');
    await dialog.getByRole('button', { name: 'Time out', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const relay = await Relay.connect(ws());
    const address = `30311:${suite.server.app.serviceKey.pubkey}:${created.stream_id}`;
    let until = 0;
    await expect
      .poll(
        async () => {
          const [ban] = await queryRelay(relay, [{ kinds: [9001], '#a': [address], '#p': [viewer.pubkey] }]);
          until = Number(ban?.tags.find((tag) => tag[0] === 'until')?.[1] ?? 0);
          return ban ? until - ban.created_at : undefined;
        },
        { timeout: 10_000 },
      )
      .toBe(300);
    relay.close();

    await input.fill('msg-31 after the time-out');
    await input.press('Enter');
    const alert = chatter.getByRole('region', { name: 'Live chat' }).getByRole('alert');
    await alert.waitFor({ timeout: 15_000 });
    const local = await chatter.evaluate((seconds) => new Date(seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }), until);
    expect(await alert.textContent()).toBe(`You are timed out of this chat until ${local}.`);
    await shootBoth(chatter, 'chat-reading-6-timed-out');
    await dashboard.context().close();
    await chatter.context().close();
  });
});

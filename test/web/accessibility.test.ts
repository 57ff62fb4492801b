import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { audit, auditContext, focused } from '../../testkit/axe.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { createStream, goLiveWithTestPattern } from '../../testkit/streams.js';
import { BrowserUser, signInWithExtension } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo } from '../../testkit/relay-client.js';
import { liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { buildLiveChat } from '../../src/protocol/live-chat.js';

/**
 * The "keyboard accessible, labelled controls": axe (WCAG 2 A/AA) finds nothing serious
 * or critical on the app's pages, signed out and in, with a dialog open; and a keyboard alone
 * reaches the player's controls and the chat input, and leaves a dialog where it entered it.
 */
describe('accessibility', () => {
  const streamer = new BrowserUser();
  const host = new TestUser(streamer.secret);
  const visitor = new BrowserUser();

  const suite = useBrowserSuite();

  it('has no serious WCAG violations, and the stream page and dialogs work from the keyboard', { timeout: 60_000 }, async () => {
    const created = await createStream(suite.server, host, { title: 'Accessible pattern', quality: '360p', record: false });
    suite.publisher = await goLiveWithTestPattern(suite.server, host, created, { seconds: 60, size: '640x360' });
    const streamUrl = `${suite.server.url}/s/${created.stream_id}`;
    const serious: string[] = [];
    const check = async (page: Page, name: string) => serious.push(...(await audit(page, name)));

    // Signed out: home (with the live card), the stream page, and the sign-in dialog.
    const guest = await (await auditContext(suite.browser, visitor)).newPage();
    await guest.goto(`${suite.server.url}/`);
    await guest.getByTestId('stream-card').filter({ hasText: 'Accessible pattern' }).waitFor({ timeout: 20_000 });
    await check(guest, 'home, signed out');
    await guest.goto(streamUrl);
    await guest.getByRole('button', { name: 'Unmute', exact: true }).waitFor({ timeout: 20_000 });
    await guest.getByRole('button', { name: 'Sign in to chat' }).waitFor();
    await check(guest, 'stream page, signed out');

    // The sign-in dialog, opened and closed from the keyboard, gives focus back to its button.
    await guest.getByRole('button', { name: 'Sign in', exact: true }).focus();
    await guest.keyboard.press('Enter');
    await guest.getByRole('dialog', { name: 'Sign in with Nostr' }).waitFor();
    await check(guest, 'sign-in dialog');
    await guest.keyboard.press('Escape');
    await guest.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await focused(guest)).toBe('button "Sign in"');

    // Signed in as the host: the stream page with the chat input and a message's actions.
    const owner = await (await auditContext(suite.browser, streamer)).newPage();
    await owner.goto(streamUrl);
    await signInWithExtension(owner);
    await owner.getByLabel('Message').fill('hello, keyboard');
    await owner.getByLabel('Message').press('Enter');
    const message = owner.getByTestId('chat-message').filter({ hasText: 'hello, keyboard' });
    await message.waitFor({ timeout: 10_000 });
    await owner.getByRole('button', { name: 'Unmute', exact: true }).waitFor({ timeout: 20_000 });
    await check(owner, 'stream page, signed in');

    // Tab alone, from the top of the page, reaches the player's mute button and the chat input.
    await owner.reload();
    await owner.getByRole('button', { name: 'Unmute', exact: true }).waitFor({ timeout: 20_000 });
    await owner.getByLabel('Message').waitFor();
    const visited: string[] = [];
    for (let presses = 0; presses < 40 && !(visited.includes('button "Unmute"') && visited.includes('textbox "Message"')); presses += 1) {
      await owner.keyboard.press('Tab');
      visited.push(await focused(owner));
    }
    process.stdout.write(`Tab order on the stream page:\n  ${visited.join('\n  ')}\n`);
    expect(visited).toContain('button "Unmute"');
    expect(visited).toContain('textbox "Message"');

    // The report dialog, opened from another's message's menu with the keyboard, hands focus back to that menu's button on Escape.
    await publishTo(suite.server.url.replace('http://', 'ws://'), new TestUser(visitor.secret).sign(buildLiveChat({ stream: liveEventCoordinate(suite.server.app.serviceKey.pubkey, created.stream_id), content: 'report me' }, Math.floor(Date.now() / 1000))));
    const theirs = owner.getByTestId('chat-message').filter({ hasText: 'report me' });
    await theirs.getByRole('button', { name: 'More actions' }).focus({ timeout: 10_000 });
    await owner.keyboard.press('Enter');
    await owner.getByRole('menu').waitFor();
    await check(owner, 'message actions menu');
    await owner.getByRole('menuitem', { name: 'Report' }).focus();
    await owner.keyboard.press('Enter');
    await owner.getByRole('dialog', { name: 'Report this message' }).waitFor();
    await check(owner, 'report dialog');
    await owner.keyboard.press('Escape');
    await owner.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await focused(owner)).toBe('button "More actions"');

    // The streamer's pages.
    await owner.goto(`${suite.server.url}/go-live`);
    await owner.getByLabel('Title').waitFor();
    await check(owner, 'go live form');
    await owner.goto(`${suite.server.url}/dashboard/${created.stream_id}`);
    await expect.poll(() => owner.getByTestId('stream-status').textContent(), { timeout: 10_000 }).toContain('LIVE');
    await check(owner, 'dashboard');
    await owner.goto(`${suite.server.url}/analytics/${created.stream_id}`);
    await owner.getByTestId('figure-peak-viewers').waitFor({ timeout: 10_000 });
    await check(owner, 'analytics');

    expect(serious, 'serious or critical axe violations (printed above)').toEqual([]);
  });
});

import { createRequire } from 'node:module';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { createStream, goLiveWithTestPattern } from '../../testkit/streams.js';
import { BrowserUser, signInWithExtension } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** WCAG 2.0 and 2.1, levels A and AA: the bar the "accessible" is held to. */
const AXE_OPTIONS: RunOptions = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };

/**
 * A desktop context that signs as `user` and ignores the page's Content-Security-Policy. The service allows only its own scripts (`script-src 'self'`),
 * so axe, injected by page.addScriptTag as an inline script, would be refused; the CSP is
 * bypassed here, for this test only, and the app runs the same either way.
 */
function auditContext(browser: Browser, user: BrowserUser): Promise<BrowserContext> {
  return user.context(browser, { bypassCSP: true });
}

/** Runs axe on the page as it is now, prints every violation, and returns the serious and critical ones. */
async function audit(page: Page, name: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE_SCRIPT });
  // A string: the page has the DOM and `axe`, the test's Node types have neither.
  const results = (await page.evaluate(`axe.run(document, ${JSON.stringify(AXE_OPTIONS)})`)) as AxeResults;
  const found = results.violations.map((violation) => ({
    serious: violation.impact === 'serious' || violation.impact === 'critical',
    line: `${name}: ${violation.id} (${violation.impact ?? 'no impact'}) ${violation.help}; ${violation.nodes.length} node(s), e.g. ${violation.nodes
      .slice(0, 3)
      .map((node) => node.target.join(' '))
      .join(' | ')}`,
  }));
  if (found.length > 0) process.stdout.write(`${found.map((violation) => violation.line).join('\n')}\n`);
  return found.filter((violation) => violation.serious).map((violation) => violation.line);
}

/** What a screen reader would announce for the focused element: its role and accessible name (`button "Unmute"`). */
async function focused(page: Page): Promise<string> {
  const focus = page.locator(':focus');
  if ((await focus.count()) === 0) return '(nothing)';
  // The first line of Playwright's ARIA snapshot is the element itself: `- button "Unmute"`, `- textbox "Message":`.
  const line = (await focus.first().ariaSnapshot()).split('\n')[0] ?? '';
  return line.match(/^- '?(\w+(?: "[^"]*")?)/)?.[1] ?? line;
}

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

    // The report dialog, opened from a message with the keyboard, also hands focus back on Escape.
    await message.getByRole('button', { name: 'Report' }).focus();
    await owner.keyboard.press('Enter');
    await owner.getByRole('dialog', { name: 'Report this message' }).waitFor();
    await check(owner, 'report dialog');
    await owner.keyboard.press('Escape');
    await owner.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await focused(owner)).toBe('button "Report"');

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

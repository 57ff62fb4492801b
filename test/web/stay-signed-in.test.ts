import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nip19 } from 'nostr-tools';
import { bytesToHex } from 'nostr-tools/utils';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { audit } from '../../testkit/axe.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, launchProfile, screenshot, signInWithBunker } from '../../testkit/browser.js';
import { TestBunker } from '../../testkit/bunker.js';
import { TestUser } from '../../testkit/nostr.js';
import { createStream } from '../../testkit/streams.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'correct horse battery';
const DAY_MS = 24 * 60 * 60 * 1000;

const sealedRecord = z.object({ until: z.union([z.object({ session: z.literal(true) }), z.object({ expires: z.number() })]) });

/** Everything this origin keeps in localStorage, as one string to search. */
const localStorageOf = (page: Page) => page.evaluate<string>('JSON.stringify(window.localStorage)');
const sealedOf = async (page: Page) => {
  const raw = await page.evaluate<string | null>(`localStorage.getItem('wavlake-live.unlocked')`);
  return raw === null ? null : sealedRecord.parse(JSON.parse(raw));
};
/** Whether IndexedDB still holds the key that opens the sealed copy. */
const hasWrappingKey = (page: Page) =>
  page.evaluate<boolean>(`new Promise((resolve) => {
    const open = indexedDB.open('wavlake-live', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('keys');
    open.onsuccess = () => {
      const get = open.result.transaction('keys').objectStore('keys').get('unlocked-key');
      get.onsuccess = () => { open.result.close(); resolve(get.result !== undefined); };
    };
  })`);
const padCookie = async (context: BrowserContext) => (await context.cookies()).find((cookie) => cookie.name === 'wavlake_unlocked');

async function firstPage(context: BrowserContext): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize(DESKTOP);
  return page;
}

/**
 * A pasted key unlocked once stays unlocked: across reloads and in every tab while the browser
 * is open, and after a restart only when "Remember this browser" was ticked. Restarts are real:
 * a Chromium profile folder closed and opened again (a storageState copy cannot carry the
 * non-extractable CryptoKey, which is the point of it).
 */
describe('stay signed in', () => {
  const suite = useBrowserSuite();
  const user = new TestUser();
  const profile = mkdtempSync(path.join(tmpdir(), 'wavlake-profile-'));
  let streamId = '';

  beforeAll(async () => {
    streamId = (await createStream(suite.server, user, { title: 'Kept signed in' })).stream_id;
  });
  afterAll(() => rmSync(profile, { recursive: true, force: true }));

  it('keeps an unlocked key for the browser session in every tab, for 30 days when remembered, and forgets it on sign-out', { timeout: 180_000 }, async () => {
    // 1. Sign in with the key, session only.
    let browser = await launchProfile(profile, { bypassCSP: true });
    let page = await firstPage(browser);
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('tab', { name: 'Secret key' }).click();
    await page.getByLabel('Secret key (nsec)').fill(nip19.nsecEncode(user.secret));
    await page.getByLabel('Password to protect it in this browser').fill(PASSWORD);
    expect(await page.getByLabel('Remember this browser for 30 days').isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 });
    // Nothing readable is kept: the password-encrypted ncryptsec and a sealed copy, never the nsec or its hex.
    const stored = await localStorageOf(page);
    expect(stored).toContain('ncryptsec1');
    expect(stored).not.toContain('nsec1');
    expect(stored).not.toContain(bytesToHex(user.secret));
    expect(await sealedOf(page)).toEqual({ until: { session: true } });
    expect(await hasWrappingKey(page)).toBe(true);
    // The session's pad: a cookie with no expiry (-1), which the browser drops when it closes.
    expect((await padCookie(browser))?.expires).toBe(-1);

    // 2. A reload stays signed in, without the password.
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('button', { name: 'Unlock' }).count()).toBe(0);

    // 3. A second tab opens the owner's dashboard at once.
    const second = await browser.newPage();
    await second.setViewportSize(DESKTOP);
    await second.goto(`${suite.server.url}/dashboard/${streamId}`);
    await second.getByRole('heading', { name: 'Kept signed in' }).waitFor({ timeout: 20_000 });
    expect(await second.getByText("Sign in as the stream's owner").count()).toBe(0);
    await screenshot(second, 'stay-signed-in-second-tab-desktop');
    await second.close();

    // 4. The browser closes: session only is over. The key is locked again and the sealed copy dropped.
    await browser.close();
    browser = await launchProfile(profile, { bypassCSP: true });
    page = await firstPage(browser);
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('button', { name: 'Unlock' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => sealedOf(page), { timeout: 10_000 }).toBeNull();
    expect(await hasWrappingKey(page)).toBe(false);
    expect(await localStorageOf(page)).toContain('ncryptsec1');

    // 5. Unlock again, remembered this time.
    await page.getByRole('button', { name: 'Unlock' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Password for the key saved in this browser').fill('wrong password');
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(/Wrong password/);
    await dialog.getByLabel('Password for the key saved in this browser').fill(PASSWORD);
    await dialog.getByLabel('Remember this browser for 30 days').check();
    await screenshot(page, 'stay-signed-in-unlock-desktop');
    expect(await audit(page, 'unlock dialog')).toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'stay-signed-in-unlock-phone');
    expect(await audit(page, 'unlock dialog on a phone')).toEqual([]);
    await page.setViewportSize(DESKTOP);
    await dialog.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 });
    const remembered = await sealedOf(page);
    if (!remembered || !('expires' in remembered.until)) throw new Error(`not remembered: ${JSON.stringify(remembered)}`);
    expect(remembered.until.expires).toBeGreaterThan(Date.now() + 29 * DAY_MS);
    expect(remembered.until.expires).toBeLessThan(Date.now() + 31 * DAY_MS);
    expect(await padCookie(browser)).toBeUndefined();

    // 6. Remembered: a restart comes back signed in.
    await browser.close();
    browser = await launchProfile(profile, { bypassCSP: true });
    page = await firstPage(browser);
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'stay-signed-in-remembered-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'stay-signed-in-remembered-phone');
    expect(await audit(page, 'signed in after a restart')).toEqual([]);
    await page.setViewportSize(DESKTOP);

    // 7. Sign out forgets everything, in this tab and in the other one.
    const other = await browser.newPage();
    await other.goto(`${suite.server.url}/`);
    await other.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await other.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ timeout: 10_000 });
    expect(await localStorageOf(page)).not.toContain('wavlake-live.');
    await expect.poll(() => hasWrappingKey(page), { timeout: 10_000 }).toBe(false);
    expect(await padCookie(browser)).toBeUndefined();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ timeout: 20_000 });
    expect(await page.getByRole('button', { name: 'Unlock' }).count()).toBe(0);
    await browser.close();
  });

  it('keeps a bunker (NIP-46) and an extension (NIP-07) sign-in across a reload and in a second tab', { timeout: 90_000 }, async () => {
    const bunkerUser = new TestUser();
    const bunker = await TestBunker.start(`${suite.server.url.replace('http://', 'ws://')}/`, bunkerUser.secret);
    try {
      const context = await suite.browser.newContext({ viewport: DESKTOP });
      const page = await context.newPage();
      await page.goto(`${suite.server.url}/`);
      await signInWithBunker(page, bunker.uri);
      const connects = bunker.requests('connect');
      await page.reload();
      await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 });
      const second = await context.newPage();
      await second.goto(`${suite.server.url}/streams`);
      await second.getByRole('heading', { name: 'My streams' }).waitFor({ timeout: 20_000 });
      // Coming back asks the bunker for the key, never connects again with the URI's secret.
      expect(bunker.requests('connect')).toBe(connects);
      await context.close();
    } finally {
      bunker.close();
    }

    const extension = await new BrowserUser().context(suite.browser);
    const page = await extension.newPage();
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign in with extension' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 });
    const second = await extension.newPage();
    await second.goto(`${suite.server.url}/`);
    await second.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 });
    await extension.close();
  });
});

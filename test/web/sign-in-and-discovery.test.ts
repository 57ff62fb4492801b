import { nip19 } from 'nostr-tools';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { TestUser } from '../../testkit/nostr.js';
import { Relay } from '../../testkit/relay-client.js';
import { BrowserUser, screenshot } from '../../testkit/browser.js';

/** Signing in with a pasted key (kept as NIP-49 ncryptsec) and discovering other services' streams. */
describe('sign-in with a key, and discovery across services', () => {

  const suite = useBrowserSuite();

  it('signs in with an nsec, keeps only the encrypted key, and asks for the password once the browser session is over', { timeout: 60_000 }, async () => {
    const user = new TestUser();
    const context = await suite.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('tab', { name: 'Secret key' }).click();
    await page.getByLabel('Secret key (nsec)').fill(nip19.nsecEncode(user.secret));
    await page.getByLabel('Password to protect it in this browser').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const saved = await page.evaluate<string>('JSON.stringify(window.localStorage)');
    expect(saved).toContain('ncryptsec1');
    expect(saved).not.toContain('nsec1');

    // A reload stays signed in; the session cookie gone (as when the browser closes), the key is locked again.
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await context.clearCookies({ name: 'wavlake_unlocked' });
    await page.reload();
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByLabel('Password for the key saved in this browser').fill('wrong password');
    await page.getByRole('button', { name: 'Unlock' }).last().click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Wrong password/);
    await page.getByLabel('Password for the key saved in this browser').fill('correct horse battery');
    await page.getByRole('button', { name: 'Unlock' }).last().click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.evaluate<number>('window.localStorage.length')).toBe(0);
    await context.close();
  });

  it('keeps an extension sign-in across a reload, even when the extension arrives a second late', { timeout: 30_000 }, async () => {
    const context = await new BrowserUser().context(suite.browser, { extensionDelayMs: 1_000 });
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/`);
    // The first sign-in is the user's own click, once the extension is there.
    await page.waitForFunction(() => 'nostr' in globalThis);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign in with extension' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // After the reload nobody clicks: the app must wait for the late extension by itself.
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 5_000 });
    await context.close();
  });

  it('shows another NIP-53 service\'s live stream with its host\'s name, and hides silent ones', { timeout: 60_000 }, async () => {
    const otherService = new TestUser();
    const host = new TestUser();
    const now = Math.floor(Date.now() / 1000);
    const relay = await Relay.connect(suite.server.url.replace('http://', 'ws://'));
    await relay.publish(host.sign({ kind: 0, content: JSON.stringify({ name: 'Elsewhere DJ' }), created_at: now }));
    const liveEvent = (d: string, title: string, createdAt: number) =>
      otherService.sign({
        kind: 30311,
        created_at: createdAt,
        content: '',
        tags: [
          ['d', d],
          ['title', title],
          ['status', 'live'],
          ['starts', String(createdAt - 60)],
          ['current_participants', '42'],
          ['p', host.pubkey, '', 'Host'],
          ['t', 'music'],
        ],
      });
    await relay.publish(liveEvent('fresh', 'Other service set', now));
    await relay.publish(liveEvent('silent', 'Forgotten stream', now - 3600));
    // A service where the host signs their own event and names nobody in a p tag.
    await relay.publish(
      host.sign({ kind: 30311, created_at: now, content: '', tags: [['d', 'own'], ['title', 'Self-signed set'], ['status', 'live'], ['starts', String(now - 60)]] }),
    );
    relay.close();

    const viewer = new BrowserUser();
    const page = await (await viewer.context(suite.browser)).newPage();
    await page.goto(`${suite.server.url}/`);
    const card = page.getByTestId('stream-card').filter({ hasText: 'Other service set' });
    await card.waitFor({ timeout: 15_000 });
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('Elsewhere DJ');
    expect(await card.getByTestId('card-viewers').textContent()).toContain('42 watching');
    expect(await page.getByRole('region', { name: 'Live now' }).getByText('Forgotten stream').count()).toBe(0);
    await screenshot(page, 'viewer-4-other-service');

    await page.goto(`${suite.server.url}/p/${nip19.npubEncode(host.pubkey)}`);
    await page.getByTestId('stream-card').filter({ hasText: 'Other service set' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('stream-card').filter({ hasText: 'Self-signed set' }).waitFor({ timeout: 5_000 });
  });
});

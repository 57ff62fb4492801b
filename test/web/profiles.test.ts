import { readFileSync } from 'node:fs';
import { nip19 } from 'nostr-tools';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension, REVIEW_DESKTOP, REVIEW_PHONE, screenshotAtReviewSizes } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { createStream, goLiveWithTestPattern } from '../../testkit/streams.js';

const DESKTOP = REVIEW_DESKTOP;
const PHONE = REVIEW_PHONE;
const shootBoth = screenshotAtReviewSizes;

/** The same screen at 1440x900 and 390x844 (`<name>-desktop.png`, `<name>-phone.png`), back to desktop after. */
type Fields = Record<string, unknown>;

/** A relay elsewhere that holds `events` and answers every REQ with them (unfiltered) and EOSE. */
async function relayHolding(events: object[]): Promise<{ url: string; close(): void }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) =>
    socket.on('message', (data) => {
      const [type, id] = JSON.parse(data.toString()) as [string, string];
      if (type !== 'REQ') return;
      for (const event of events) socket.send(JSON.stringify(['EVENT', id, event]));
      socket.send(JSON.stringify(['EOSE', id]));
    }),
  );
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return { url: `ws://127.0.0.1:${address.port}/`, close: () => server.close() };
}

/** Accounts, profiles (kind 0) and the names and pictures the app shows for them. */
describe('profiles: create an account, edit a profile, names everywhere', () => {
  const suite = useBrowserSuite();
  const relayUrl = () => suite.server.url.replace('http://', 'ws://');
  const newestOf = async (kind: number, pubkey: string) => {
    const relay = await Relay.connect(relayUrl());
    try {
      const events = await queryRelay(relay, [{ kinds: [kind], authors: [pubkey] }]);
      return events.sort((a, b) => b.created_at - a.created_at)[0];
    } finally {
      relay.close();
    }
  };
  const info = async () => (await suite.server.call<{ pubkey: string; relay: string }>('GET', '/api/v1/info')).body;
  const publish = async (user: TestUser | BrowserUser, kind: number, content: Fields | string, tags: string[][] = [], ago = 60) => {
    const relay = await Relay.connect(relayUrl());
    const signer = user instanceof TestUser ? user : new TestUser(user.secret);
    await relay.publish(signer.sign({ kind, content: typeof content === 'string' ? content : JSON.stringify(content), tags, created_at: Math.floor(Date.now() / 1000) - ago }));
    relay.close();
  };

  it('creates an account: a new key, its backup (the nsec is the key signed in), then a profile on our relay', { timeout: 90_000 }, async () => {
    const context = await suite.browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.url });
    const page = await context.newPage();
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'New to Nostr? Create an account' }).click();
    await page.getByLabel('Password to protect the new key in this browser').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create my key' }).click();

    // The backup: shown once, copied and downloaded, with the warning.
    const nsec = await page.getByLabel('Your secret key (nsec)').inputValue();
    const decoded = nip19.decode(nsec);
    if (decoded.type !== 'nsec') throw new Error(`not an nsec: ${nsec}`);
    const pubkey = new TestUser(decoded.data).pubkey;
    expect(await page.getByRole('note').textContent()).toMatch(/if you lose it, the account is lost.*Anyone who has it is\s+you/s);
    await page.getByRole('button', { name: 'Copy secret key' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(nsec);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download as a text file' }).click()]);
    expect(readFileSync(await download.path(), 'utf8')).toContain(nsec);
    await shootBoth(page, 'profiles-1-create-account-backup');
    expect(await page.getByRole('button', { name: 'Continue to my profile' }).isDisabled()).toBe(true);
    await page.getByLabel('I have saved my secret key somewhere safe').check();
    await page.getByRole('button', { name: 'Continue to my profile' }).click();

    // Signed in as that very key, kept only encrypted.
    await page.waitForURL(/\/settings\/profile$/);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.getByRole('link', { name: /Your profile/ }).getAttribute('href')).toBe(`/p/${pubkey}`);
    const saved = await page.evaluate<string>('JSON.stringify(window.localStorage)');
    expect(saved).toContain('ncryptsec1');
    expect(saved).not.toContain(nsec);
    // Nameless for now: the short npub, never hex.
    expect(await page.locator('header').textContent()).toContain(nip19.npubEncode(pubkey).slice(0, 9));

    await page.getByLabel('Name').fill('New Streamer');
    await page.getByLabel('Picture URL').fill('https://pictures.example/new-streamer.png');
    await page.getByLabel('About').fill('Plays records on Sundays');
    await page.getByLabel('Lightning address').fill('not an address');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('A lightning address looks like name@domain.com').waitFor();
    await page.getByLabel('Lightning address').fill('newstreamer@wallet.example');
    await shootBoth(page, 'profiles-2-new-profile-form');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toContain('Saved on');

    const profile = await newestOf(0, pubkey);
    expect(JSON.parse(profile?.content ?? '{}')).toEqual({
      name: 'New Streamer',
      picture: 'https://pictures.example/new-streamer.png',
      about: 'Plays records on Sundays',
      lud16: 'newstreamer@wallet.example',
    });
    // A NIP-65 list, so other clients know where this new account writes.
    const list = await newestOf(10002, pubkey);
    expect(list?.tags).toContainEqual(['r', (await info()).relay]);
    await expect.poll(() => page.locator('header').textContent()).toContain('New Streamer');
    await context.close();
  });

  it("edits an existing profile from the form and keeps the fields the form does not know", { timeout: 60_000 }, async () => {
    const user = new BrowserUser();
    const old = { name: 'Old Name', about: 'old about', nip05: 'old@example.com', banner: 'https://example.com/banner.jpg', website: 'https://example.com', pronouns: 'they/them' };
    await publish(user, 0, old);
    const page = await (await user.context(suite.browser)).newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(`${suite.server.url}/`);
    await signInWithExtension(page);
    await page.goto(`${suite.server.url}/settings/profile`);
    await expect.poll(() => page.getByLabel('Name').inputValue(), { timeout: 15_000 }).toBe('Old Name');
    expect(await page.getByLabel('About').inputValue()).toBe('old about');
    await page.getByLabel('Name').fill('Renamed Person');
    await page.getByLabel('About').fill('');
    await page.getByLabel('Lightning address').fill('renamed@wallet.example');
    await shootBoth(page, 'profiles-3-edit-profile');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toContain('Saved on');

    const { about: _cleared, ...kept } = old;
    expect(JSON.parse((await newestOf(0, user.pubkey))?.content ?? '{}')).toEqual({ ...kept, name: 'Renamed Person', lud16: 'renamed@wallet.example' });
    // No NIP-65 list is written for an account that was not created here.
    expect(await newestOf(10002, user.pubkey)).toBeUndefined();
    await page.goto(`${suite.server.url}/p/${nip19.npubEncode(user.pubkey)}`);
    await page.getByRole('heading', { name: 'Renamed Person' }).waitFor({ timeout: 10_000 });
    await shootBoth(page, 'profiles-4-profile-page');
  });

  it('refuses to write a profile when a relay that may hold it does not answer', { timeout: 60_000 }, async () => {
    const user = new BrowserUser();
    // The user writes to a relay that is down, and our relay has no kind 0 of theirs.
    await publish(user, 10002, '', [['r', 'ws://127.0.0.1:9']]);
    const page = await (await user.context(suite.browser)).newPage();
    await page.goto(`${suite.server.url}/`);
    await signInWithExtension(page);
    await page.goto(`${suite.server.url}/settings/profile`);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 }).toMatch(/ws:\/\/127\.0\.0\.1:9\/? did not answer.*Nothing was saved/);
    expect(await page.getByLabel('Name').count()).toBe(0);
    expect(await newestOf(0, user.pubkey)).toBeUndefined();
  });

  it("names a user from the kind 0 on their own NIP-65 relay when ours has none", { timeout: 60_000 }, async () => {
    const elsewhere = new TestUser();
    const own = await relayHolding([elsewhere.sign({ kind: 0, content: JSON.stringify({ name: 'Far Away Fay' }) })]);
    try {
      await publish(elsewhere, 10002, '', [['r', own.url]]);
      const page = await suite.browser.newPage({ viewport: DESKTOP });
      await page.goto(`${suite.server.url}/p/${nip19.npubEncode(elsewhere.pubkey)}`);
      await page.getByRole('heading', { name: 'Far Away Fay' }).waitFor({ timeout: 10_000 });
      await page.close();
    } finally {
      own.close();
    }
  });

  it('shows names and pictures on the discovery card, the stream page and in chat; a broken picture shows initials', { timeout: 120_000 }, async () => {
    const streamer = new TestUser();
    await publish(streamer, 0, { name: 'Streamer Sam', picture: 'http://127.0.0.1:9/broken.png' });
    const stream = await createStream(suite.server, streamer, { title: 'Named stream' });
    suite.publisher = await goLiveWithTestPattern(suite.server, streamer, stream, { seconds: 90, size: '640x360' });
    const viewer = new BrowserUser();
    // A picture that loads: the stream's own cover card, served here.
    await publish(viewer, 0, { name: 'Viewer Vic', picture: `${suite.server.url}/api/v1/streams/${stream.stream_id}/cover.png` });
    const nameless = new BrowserUser();

    const page = await (await viewer.context(suite.browser)).newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(`${suite.server.url}/`);
    const card = page.getByTestId('stream-card').filter({ hasText: 'Named stream' });
    await card.waitFor({ timeout: 20_000 });
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('Streamer Sam');
    await expect.poll(() => card.getByTestId('avatar-initials').textContent(), { timeout: 10_000 }).toBe('ST');

    await card.click();
    await page.waitForURL(/\/stream\/naddr1/);
    await signInWithExtension(page);
    const main = page.locator('main');
    await expect.poll(() => main.getByTestId('stream-host').getByTestId('user-badge').textContent(), { timeout: 10_000 }).toContain('Streamer Sam');
    const chat = page.getByRole('region', { name: 'Live chat' });
    await chat.getByLabel('Message').fill('hello with a name');
    await chat.getByRole('button', { name: 'Send' }).click();
    const message = chat.getByTestId('chat-message').filter({ hasText: 'hello with a name' });
    await message.waitFor({ timeout: 10_000 });
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toContain('Viewer Vic');
    await expect.poll(() => message.getByTestId('avatar-picture').evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);

    // Someone with no profile chats too: a short npub, never 8 hex characters.
    await publish(nameless, 1311, 'no name here', [['a', `30311:${(await info()).pubkey}:${stream.stream_id}`]], 0);
    const theirs = chat.getByTestId('chat-message').filter({ hasText: 'no name here' });
    await theirs.waitFor({ timeout: 10_000 });
    const npub = nip19.npubEncode(nameless.pubkey);
    await expect.poll(() => theirs.textContent()).toContain(`${npub.slice(0, 9)}…${npub.slice(-4)}`);
    expect(await page.locator('body').textContent()).not.toContain(`${nameless.pubkey.slice(0, 8)}…`);
    await screenshot(page, 'profiles-5-names-in-chat');
  });
});

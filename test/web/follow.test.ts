import { nip19 } from 'nostr-tools';
import type { VerifiedEvent } from 'nostr-tools/pure';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { silentRelay, type FakeRelayServer } from '../../testkit/misbehaving-relays.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo, queryRelay, Relay } from '../../testkit/relay-client.js';
import { startTestServer, type TestServer } from '../../testkit/server.js';
import { started } from '../../testkit/suites.js';
import { createStream, eventually, goLiveWithTestPattern } from '../../testkit/streams.js';

const wsOf = (server: TestServer) => server.url.replace('http://', 'ws://');

/** The newest kind 3 of `pubkey` that the relay at `url` holds, or undefined. */
async function contactListAt(url: string, pubkey: string): Promise<VerifiedEvent | undefined> {
  const relay = await Relay.connect(url);
  try {
    const events = await queryRelay(relay, [{ kinds: [3], authors: [pubkey] }]);
    return events.sort((a, b) => b.created_at - a.created_at)[0];
  } finally {
    relay.close();
  }
}

const followButton = (page: Page) => page.getByRole('button', { name: 'Follow', exact: true });

/** Follow on the stream and profile pages, over the user's kind 3, and the home page's Following row. */
describe('follow without losing anyone', () => {
  const suite = useBrowserSuite();
  const streamer = new TestUser();
  let title = '';
  let streamId = '';
  /** The user's own relay, named in their NIP-65 list: another instance of the service's relay. */
  let ownRelay: TestServer | undefined;
  let deadRelay: FakeRelayServer | undefined;

  beforeAll(async () => {
    ownRelay = await startTestServer('sqlite');
    deadRelay = await silentRelay();
    title = `Follow me ${Date.now()}`;
    const stream = await createStream(suite.server, streamer, { title });
    streamId = stream.stream_id;
    suite.publisher = await goLiveWithTestPattern(suite.server, streamer, stream, { seconds: 300, size: '640x360' });
  }, 60_000);
  afterAll(async () => {
    await ownRelay?.destroy();
    await deadRelay?.close();
  });

  it('follows from the stream page keeping every contact, hint, petname, tag and the content; unfollows only that one; Following on home', { timeout: 120_000 }, async () => {
    const viewer = new BrowserUser();
    const signer = new TestUser(viewer.secret);
    const own = wsOf(started(ownRelay, 'own relay'));
    const now = Math.floor(Date.now() / 1000);
    const [alice, bob, carol] = [new TestUser(), new TestUser(), new TestUser()];
    const tags = [
      ['p', alice.pubkey, 'wss://relay.alice.example/', 'alice'],
      ['p', bob.pubkey, '', 'bobby'],
      ['p', carol.pubkey, 'wss://carol.example/'],
      ['t', 'music'],
    ];
    const content = JSON.stringify({ 'wss://relay.alice.example/': { read: true, write: true } });
    // The newest list is only on the user's own relay; ours has an older one with a single contact.
    await publishTo(wsOf(suite.server), signer.sign({ kind: 10002, created_at: now - 900, tags: [['r', own]] }));
    await publishTo(wsOf(suite.server), signer.sign({ kind: 3, created_at: now - 600, tags: [['p', alice.pubkey]], content: '' }));
    await publishTo(own, signer.sign({ kind: 3, created_at: now - 60, tags, content }));

    const page = await (await viewer.context(suite.browser)).newPage();
    await page.goto(`${suite.server.url}/s/${streamId}`);
    await page.getByRole('heading', { name: title }).waitFor({ timeout: 20_000 });
    await signInWithExtension(page);
    const button = followButton(page);
    await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    await button.click();
    await expect.poll(() => button.getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true');
    expect(await button.textContent()).toContain('Following');
    await screenshot(page, 'follow-1-stream-page');

    for (const url of [wsOf(suite.server), own]) {
      const list = await eventually('the new contact list', async () => {
        const found = await contactListAt(url, viewer.pubkey);
        return found && found.created_at > now - 60 ? found : undefined;
      });
      expect(list.tags).toEqual([...tags, ['p', streamer.pubkey]]);
      expect(list.content).toBe(content);
    }

    await button.click();
    await expect.poll(() => button.getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('false');
    const afterUnfollow = await eventually('the list without the streamer', async () => {
      const found = await contactListAt(wsOf(suite.server), viewer.pubkey);
      return found?.tags.some((tag) => tag[1] === streamer.pubkey) ? undefined : found;
    });
    expect(afterUnfollow.tags).toEqual(tags);
    expect(afterUnfollow.content).toBe(content);

    // Followed again, the streamer's live stream is in the home page's Following row.
    await button.click();
    await expect.poll(() => button.getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true');
    await page.goto(`${suite.server.url}/`);
    await page.getByRole('region', { name: 'Following' }).getByTestId('stream-card').filter({ hasText: title }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'follow-2-home-following');
  });

  it('refuses to write when the list cannot be read: the only relay the user writes to is down', { timeout: 60_000 }, async () => {
    const viewer = new BrowserUser();
    const signer = new TestUser(viewer.secret);
    // Their contacts live on their own relay, which does not answer; ours has none of theirs.
    await publishTo(wsOf(suite.server), signer.sign({ kind: 10002, tags: [['r', started(deadRelay, 'dead relay').url]] }));

    const page = await (await viewer.context(suite.browser)).newPage();
    await page.goto(`${suite.server.url}/p/${nip19.npubEncode(streamer.pubkey)}`);
    await signInWithExtension(page);
    const button = followButton(page);
    await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
    await button.click();
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'contact list' }).textContent(), { timeout: 15_000 }).toMatch(/did not answer.*Nothing was changed/);
    expect(await button.getAttribute('aria-pressed')).toBe('false');
    expect(await contactListAt(wsOf(suite.server), viewer.pubkey)).toBeUndefined();
    await screenshot(page, 'follow-3-refused');
  });

  it('lets a user with no contact list anywhere create their first; signed out it offers sign-in; never on oneself', { timeout: 60_000 }, async () => {
    const viewer = new BrowserUser();
    const page = await (await viewer.context(suite.browser)).newPage();
    await page.goto(`${suite.server.url}/p/${nip19.npubEncode(streamer.pubkey)}`);
    const button = followButton(page);
    // Signed out: one prompt, not a dead Follow beside it.
    await page.getByRole('button', { name: 'Sign in to follow' }).click({ timeout: 15_000 });
    expect(await button.count()).toBe(0);
    await page.getByRole('button', { name: 'Sign in with extension' }).click();
    await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
    await button.click();
    await expect.poll(() => button.getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true');
    const list = await eventually('the first contact list', () => contactListAt(wsOf(suite.server), viewer.pubkey));
    expect(list.tags).toEqual([['p', streamer.pubkey]]);

    await page.goto(`${suite.server.url}/p/${nip19.npubEncode(viewer.pubkey)}`);
    await expect.poll(() => button.getAttribute('title'), { timeout: 15_000 }).toBe('This is you');
    expect(await button.isDisabled()).toBe(true);
  });
});

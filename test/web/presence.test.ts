import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCoordinate, liveEventCoordinate } from '../../src/protocol/coordinate.js';
import { KIND } from '../../src/protocol/kinds.js';
import { audit, auditContext } from '../../testkit/axe.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { publishTo, queryRelay, Relay } from '../../testkit/relay-client.js';
import { createStream, goLiveWithTestPattern } from '../../testkit/streams.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Who's here: signed-in viewers announce themselves (kind 10312) and everyone sees them listed by name. */
describe("who's here on the stream page", () => {
  const suite = useBrowserSuite();
  const host = new TestUser();
  const alice = new BrowserUser();
  const bob = new BrowserUser();
  const title = `Presence ${Date.now()}`;
  let streamId = '';
  const contexts: BrowserContext[] = [];
  const relayUrl = () => suite.server.url.replace('http://', 'ws://');

  beforeAll(async () => {
    const stream = await createStream(suite.server, host, { title });
    streamId = stream.stream_id;
    const now = Math.floor(Date.now() / 1000);
    await publishTo(
      relayUrl(),
      ...[
        [alice, 'Alice Presence'],
        [bob, 'Bob Presence'],
      ].map(([user, name]) => new TestUser((user as BrowserUser).secret).sign({ kind: KIND.metadata, created_at: now - 60, tags: [], content: JSON.stringify({ name }) })),
    );
    suite.publisher = await goLiveWithTestPattern(suite.server, host, stream, { seconds: 300, size: '640x360' });
  }, 90_000);
  afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  const open = async (user: BrowserUser, signIn: boolean): Promise<Page> => {
    const context = await auditContext(suite.browser, user);
    contexts.push(context);
    const page = await context.newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(`${suite.server.url}/s/${streamId}`);
    await page.getByRole('heading', { name: title }).waitFor({ timeout: 30_000 });
    if (signIn) await signInWithExtension(page);
    return page;
  };
  const listed = (page: Page) => page.getByRole('list', { name: "Who's here" }).getByRole('listitem');
  const names = async (page: Page) => (await listed(page).allTextContents()).sort();
  /** Each listed viewer's badge: their initials (or picture), then their name. */
  const bothNames = [expect.stringMatching(/Alice Presence$/), expect.stringMatching(/Bob Presence$/)];

  it('lists two signed-in viewers by name to each other and to a signed-out viewer, who is not listed', { timeout: 150_000 }, async () => {
    const alicePage = await open(alice, true);
    const bobPage = await open(bob, true);
    for (const page of [alicePage, bobPage]) {
      await expect.poll(() => names(page), { timeout: 30_000 }).toEqual(bothNames);
      expect(await page.getByTestId('presence-count').textContent()).toBe('2 here');
    }

    // What the page announced: one presence each, naming this stream, on our relay.
    const relay = await Relay.connect(relayUrl());
    const stream = formatCoordinate(liveEventCoordinate(suite.server.app.serviceKey.pubkey, streamId));
    const presences = await queryRelay(relay, [{ kinds: [KIND.presence], '#a': [stream] }]);
    relay.close();
    expect(presences.map((event) => event.pubkey).sort()).toEqual([alice.pubkey, bob.pubkey].sort());
    expect(presences.every((event) => event.tags.some((tag) => tag[0] === 'a' && tag[1] === stream && tag[3] === 'root'))).toBe(true);

    const stranger = new BrowserUser();
    const strangerPage = await open(stranger, false);
    await expect.poll(() => names(strangerPage), { timeout: 30_000 }).toEqual(bothNames);
    expect(await strangerPage.locator(`[data-pubkey="${stranger.pubkey}"]`).count()).toBe(0);
    expect(await strangerPage.getByRole('button', { name: 'Sign in', exact: true }).isVisible()).toBe(true);

    expect(await audit(alicePage, 'presence')).toEqual([]);
    await alicePage.getByTestId('who-is-here').scrollIntoViewIfNeeded();
    await screenshot(alicePage, 'presence-desktop');
    await alicePage.setViewportSize(PHONE);
    await expect.poll(() => names(alicePage)).toEqual(bothNames);
    expect(await audit(alicePage, 'presence-phone')).toEqual([]);
    await screenshot(alicePage, 'presence-phone');
  });

  it('announces presence at a private stream over its token’s connection: listed for those with the link, unseen by others', { timeout: 90_000 }, async () => {
    const secret = await createStream(suite.server, host, { title: `Private presence ${Date.now()}`, visibility: 'private' });
    const status = await suite.server.call<{ share_url: string }>('GET', `/api/v1/streams/${secret.stream_id}/status`, { as: host });
    const context = await auditContext(suite.browser, alice);
    contexts.push(context);
    const page = await context.newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(status.body.share_url);
    await page.getByRole('heading', { name: /^Private presence/ }).waitFor({ timeout: 30_000 });
    await signInWithExtension(page);
    await expect.poll(() => names(page), { timeout: 30_000 }).toEqual([expect.stringMatching(/Alice Presence$/)]);

    // Through our relay to another holder of the link (signed out, so not listed)…
    const insiderContext = await suite.browser.newContext({ viewport: DESKTOP });
    contexts.push(insiderContext);
    const insider = await insiderContext.newPage();
    await insider.goto(status.body.share_url);
    await expect.poll(() => names(insider), { timeout: 30_000 }).toEqual([expect.stringMatching(/Alice Presence$/)]);

    // …and to no one without the stream's token: not a plain REQ, not the page without the link.
    const stream = formatCoordinate(liveEventCoordinate(suite.server.app.serviceKey.pubkey, secret.stream_id));
    const relay = await Relay.connect(relayUrl());
    expect(await queryRelay(relay, [{ kinds: [KIND.presence], '#a': [stream] }])).toEqual([]);
    relay.close();
    const outsiderContext = await suite.browser.newContext({ viewport: DESKTOP });
    contexts.push(outsiderContext);
    const outsider = await outsiderContext.newPage();
    await outsider.goto(`${suite.server.url}/s/${secret.stream_id}`);
    await outsider.getByText('This stream is not available').waitFor({ timeout: 30_000 });
    expect(await listed(outsider).count()).toBe(0);
  });
});

import { nip19 } from 'nostr-tools';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamView } from '../../src/protocol/api-views.js';
import { decodeLiveEventAddress } from '../../src/protocol/naddr.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { screenshotBothSizes, signInWithBunker } from '../../testkit/browser.js';
import { TestBunker } from '../../testkit/bunker.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';
import { eventually } from '../../testkit/streams.js';

/**
 * A stream published on Nostr by the streamer's own key, from the web app: Go Live's "My own
 * key, through my bunker" (the sign-in bunker offered), the dashboard naming whose key
 * publishes, and the stream page's chat and Nostr address on `30311:<streamer>:<id>`.
 */
describe('streamer-signed stream in the browser', () => {
  let bunker: TestBunker;
  const userSecret = generateSecretKey();
  const streamer = getPublicKey(userSecret);
  const suite = useBrowserSuite();
  const relayUrl = () => `${suite.server.url.replace('http://', 'ws://')}/`;

  beforeAll(async () => {
    bunker = await TestBunker.start(relayUrl(), userSecret);
  });
  afterAll(() => bunker?.close());

  it('goes live with my own key: the dashboard says so, the chat and the naddr use my coordinate', { timeout: 90_000 }, async () => {
    const page = await (await suite.browser.newContext()).newPage();
    await page.goto(`${suite.server.url}/`);
    await signInWithBunker(page, bunker.uri);

    await page.getByRole('link', { name: 'Go Live', exact: true }).click();
    await page.getByLabel('Title').fill('Hosted by my own key');
    await page.getByLabel('Category').selectOption('talk');
    // The service's key is the default; the streamer's own needs a bunker, and the one signed in with is offered.
    expect(await page.getByRole('radio', { name: 'Wavlake Live’s key' }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: 'My own key, through my bunker (NIP-46)' }).check();
    expect(await page.getByLabel('Bunker URI (NIP-46)').inputValue()).toBe(bunker.uri);
    await page.getByRole('group', { name: 'Who publishes this stream on Nostr' }).scrollIntoViewIfNeeded();
    await screenshotBothSizes(page, 'streamer-signed-go-live');
    await page.getByRole('button', { name: 'Create stream' }).click();
    await page.waitForURL(/\/dashboard\//, { timeout: 30_000 });
    const id = page.url().split('/dashboard/')[1] ?? '';

    const stream = (await suite.server.call<StreamView>('GET', `/api/v1/streams/${id}/status`)).body;
    expect(stream).toMatchObject({ signer: 'streamer', event_pubkey: streamer });
    // The service asked the bunker for the live event itself.
    await eventually('a 30311 signed by the bunker', async () => bunker.signed.find((template) => template.kind === 30311));

    const card = page.getByTestId('signer-card');
    await expect.poll(() => card.getByTestId('signer-whose').textContent(), { timeout: 10_000 }).toBe('your own key, through your bunker');
    expect(await card.getByTestId('signer-status').textContent()).toBe('Bunker answering');
    expect(await card.textContent()).toContain('drops out of clients within 15 minutes');
    expect(await card.getByTestId('user-badge').textContent()).toContain(nip19.npubEncode(streamer).slice(0, 9));
    await card.scrollIntoViewIfNeeded();
    await screenshotBothSizes(page, 'streamer-signed-dashboard');

    // The stream page: chat on the streamer's coordinate, shown on the page and on the dashboard.
    const address = `30311:${streamer}:${id}`;
    const viewerPage = await page.context().newPage();
    await viewerPage.goto(`${suite.server.url}/s/${id}`);
    const chat = viewerPage.getByRole('region', { name: 'Live chat' });
    await chat.getByLabel('Message').fill('hello on my own coordinate');
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.getByTestId('chat-message').filter({ hasText: 'hello on my own coordinate' }).waitFor({ timeout: 20_000 });
    await page.getByTestId('chat-message').filter({ hasText: 'hello on my own coordinate' }).waitFor({ timeout: 10_000 });
    const relay = await Relay.connect(relayUrl());
    const [sent] = await queryRelay(relay, [{ kinds: [1311], authors: [streamer] }]);
    relay.close();
    expect(sent?.content).toBe('hello on my own coordinate');
    expect(sent?.tags.filter((tag) => tag[0] === 'a').map((tag) => tag[1])).toEqual([address]);

    // Its address for other clients names the streamer, and opening it finds the same stream.
    const href = (await viewerPage.getByTestId('nostr-address').getAttribute('href')) ?? '';
    const decoded = decodeLiveEventAddress(href);
    expect(decoded.ok && decoded.value.coordinate).toEqual({ kind: 30311, pubkey: streamer, identifier: id });
    await viewerPage.goto(`${suite.server.url}/stream/${href.replace(/^nostr:/, '')}`);
    await viewerPage.getByRole('heading', { name: 'Hosted by my own key' }).waitFor({ timeout: 20_000 });
    await viewerPage.getByRole('region', { name: 'Live chat' }).getByTestId('chat-message').filter({ hasText: 'hello on my own coordinate' }).waitFor({ timeout: 20_000 });
  });
});

import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { createStream, goLiveWithTestPattern } from '../../testkit/streams.js';
import { BrowserUser, screenshot } from '../../testkit/browser.js';
import { liveEventCoordinate, formatCoordinate } from '../../src/protocol/coordinate.js';
import { TestUser } from '../../testkit/nostr.js';
import { queryRelay, Relay } from '../../testkit/relay-client.js';

/** The parts of a <video> element the test reads (this project's Node types have no DOM). */
interface MediaState {
  readonly currentTime: number;
}

/** A private stream plays through the link its host shares, and nowhere else. */
describe('private stream in the browser', () => {
  const streamer = new BrowserUser();
  // The same key over HTTP (create, start) and in the browser (the dashboard).
  const host = new TestUser(streamer.secret);

  const suite = useBrowserSuite();

  it('plays from the shared link in a signed-out browser, and the bare link says it is unavailable', { timeout: 60_000 }, async () => {
    const created = await createStream(suite.server, host, { visibility: 'private', quality: '360p', record: false });
    suite.publisher = await goLiveWithTestPattern(suite.server, host, created, { seconds: 60, size: '640x360' });
    const owner = await suite.server.call<{ share_url?: string }>('GET', `/api/v1/streams/${created.stream_id}/status`, { as: host });
    const shareUrl = owner.body.share_url;
    expect(shareUrl).toMatch(/\/s\/[^?]+\?token=/);

    // The owner's dashboard: its real-time feed needs the private stream's token to count viewers.
    const dashboard = await (await streamer.context(suite.browser)).newPage();
    await dashboard.goto(`${suite.server.url}/dashboard/${created.stream_id}`);
    await dashboard.getByRole('button', { name: 'Sign in', exact: true }).click();
    await dashboard.getByRole('button', { name: 'Sign in with extension' }).click();
    await expect.poll(() => dashboard.getByTestId('viewer-count').textContent(), { timeout: 10_000 }).toBe('0');

    const page = await (await suite.browser.newContext()).newPage();
    await page.goto(shareUrl ?? '');
    const video = page.getByTestId('player-video');
    await expect.poll(() => video.evaluate((element) => (element as unknown as MediaState).currentTime), { timeout: 30_000 }).toBeGreaterThan(2);
    await screenshot(page, 'viewer-5-private-share-link');
    // A private stream takes no zaps (a receipt is public): no Zap button, not even one asking to sign in, and no goal.
    expect(await page.getByRole('button', { name: /zap/i }).count()).toBe(0);
    expect(await page.getByTestId('goal-bar').count()).toBe(0);
    await expect.poll(() => dashboard.getByTestId('zaps-off').textContent(), { timeout: 10_000 }).toContain('Zaps are off for private streams');
    await expect.poll(async () => Number(await dashboard.getByTestId('viewer-count').textContent()), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);

    // The chat is private too: the host's message reaches the link's holder, and nobody asking the relay plainly.
    await dashboard.getByRole('textbox', { name: 'Message' }).fill('for link holders only');
    await dashboard.getByRole('textbox', { name: 'Message' }).press('Enter');
    await dashboard.getByTestId('chat-message').filter({ hasText: 'for link holders only' }).waitFor({ timeout: 5_000 });
    await page.getByTestId('chat-message').filter({ hasText: 'for link holders only' }).first().waitFor({ timeout: 5_000 });
    const plain = await Relay.connect(suite.server.url.replace('http://', 'ws://'));
    const address = formatCoordinate(liveEventCoordinate(suite.server.app.serviceKey.pubkey, created.stream_id));
    expect(await queryRelay(plain, [{ kinds: [1311] }])).toEqual([]);
    expect(await queryRelay(plain, [{ '#a': [address] }])).toEqual([]);
    plain.close();

    await page.goto(shareUrl?.split('?')[0] ?? '');
    await page.getByText('This stream is not available').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('player-video').count()).toBe(0);
  });
});

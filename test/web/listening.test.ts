import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { screenshot } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { pushTone } from '../../testkit/publishers.js';
import { createStream, eventually, ingestUrl, statusOf, type Created } from '../../testkit/streams.js';

/** The parts of the page's media element and Media Session the test reads (this project's Node types have no DOM). */
interface AudioState {
  readonly currentTime: number;
}
interface SessionState {
  readonly mediaSession: { readonly metadata: { title: string; artist: string; artwork: readonly { src: string }[] } | null };
}

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/**
 * An audio-only stream in Chromium: a real RTMP push of a tone (no video), started, found in
 * discovery by its cover, and played by the listening player: an <audio> element (no
 * <video>), a level meter fed by Web Audio, the 64 kbps rendition on request, the lock
 * screen's metadata, and the streamer's "now playing" on the player and in the chat.
 */
describe('listening player', () => {
  const host = new TestUser();
  const suite = useBrowserSuite();
  let stream: Created;
  let page: Page;
  const requested: string[] = [];

  const audio = () => page.getByTestId('player-audio');
  const session = () =>
    page.evaluate(() => {
      const metadata = (globalThis as unknown as { navigator: SessionState }).navigator.mediaSession.metadata;
      return metadata && { title: metadata.title, artist: metadata.artist, artwork: metadata.artwork.map((art) => art.src) };
    });

  it('plays an audio-only stream with cover, level meter, quality and lock-screen metadata, and no video element', { timeout: 90_000 }, async () => {
    stream = await createStream(suite.server, host, { title: 'Tone session', category: 'music', stream_type: 'audio', record: false });
    suite.publisher = pushTone(ingestUrl(suite.server, stream.stream_key), { seconds: 80 });
    await eventually('the encoder to connect', async () => ((await statusOf(suite.server, host, stream.stream_id)).status === 'connected' ? true : undefined));
    expect((await suite.server.call('POST', `/api/v1/streams/${stream.stream_id}/start`, { as: host })).status).toBe(200);

    page = await (await suite.browser.newContext({ viewport: DESKTOP })).newPage();
    page.on('pageerror', (error) => process.stderr.write(`listener page error: ${error.message}\n`));
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${suite.server.url}/`);

    // Discovery: the card shows the cover with an audio mark, never a black frame.
    const card = page.getByTestId('stream-card').filter({ hasText: 'Tone session' });
    await card.waitFor({ timeout: 20_000 });
    await card.getByTestId('card-audio').waitFor();
    const loaded = (image: ReturnType<Page['getByTestId']>) => image.evaluate((element) => (element as unknown as { naturalWidth: number }).naturalWidth);
    await expect.poll(() => loaded(card.getByTestId('cover-image')), { timeout: 10_000 }).toBeGreaterThan(0);
    await screenshot(page, 'listening-0-discovery-desktop');
    await card.click();
    await page.waitForURL(/\/stream\/naddr1/);

    await page.getByTestId('listening-player').waitFor({ timeout: 10_000 });
    await expect.poll(() => audio().evaluate((element) => (element as unknown as AudioState).currentTime), { timeout: 40_000 }).toBeGreaterThan(2);
    expect(await page.locator('video').count()).toBe(0);
    await page.getByText('LIVE', { exact: true }).waitFor();
    // The tone moves the meter: Web Audio hears what the element plays.
    await expect.poll(async () => Number(await page.getByTestId('level-meter').getAttribute('data-level')), { timeout: 10_000 }).toBeGreaterThan(0.05);

    // Quality: Auto, the source and the 64 kbps rendition; choosing 64 kbps loads that rendition.
    const quality = page.getByLabel('Quality');
    expect(await quality.locator('option').allTextContents()).toEqual(['Auto', 'Source', '64 kbps']);
    const before = requested.length;
    await quality.selectOption({ label: '64 kbps' });
    await expect.poll(() => requested.slice(before).some((url) => url.includes('/audio-64k/')), { timeout: 15_000 }).toBe(true);

    // The cover on the player, and on the lock screen with the stream's title.
    const cover = (await suite.server.call<{ thumbnail_url: string | null }>('GET', `/api/v1/streams/${stream.stream_id}/status`)).body.thumbnail_url;
    expect(cover).toMatch(/\/cover\.png/);
    expect(await page.getByTestId('listening-player').getByTestId('cover-image').getAttribute('src')).toBe(cover);
    expect(await loaded(page.getByTestId('listening-player').getByTestId('cover-image'))).toBeGreaterThan(0);
    await expect.poll(async () => (await session())?.title).toBe('Tone session');
    expect((await session())?.artwork).toEqual([cover]);

    // Pausing from the player stops the sound; playing resumes it.
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => audio().evaluate((element) => (element as unknown as { paused: boolean }).paused)).toBe(true);
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => audio().evaluate((element) => (element as unknown as { paused: boolean }).paused)).toBe(false);

    await screenshot(page, 'listening-1-player-desktop');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'listening-1-player-phone');
    await page.setViewportSize(DESKTOP);
  });

  it('shows the track the streamer sets on the player, on the lock screen and as a chat line within 2 s', { timeout: 30_000 }, async () => {
    const setAt = Date.now();
    const set = await suite.server.call('POST', `/api/v1/streams/${stream.stream_id}/now-playing`, {
      as: host,
      json: { title: 'Blue in Green', artist: 'Miles Davis', link: 'https://example.com/blue-in-green' },
    });
    expect(set.status).toBe(200);
    await page.getByTestId('now-playing').filter({ hasText: 'Blue in Green' }).waitFor({ timeout: 2_000 });
    await page.getByTestId('chat-notice').filter({ hasText: 'Now playing: Blue in Green — Miles Davis' }).first().waitFor({ timeout: Math.max(1, 2_000 - (Date.now() - setAt)) });
    expect(await page.getByTestId('now-playing').textContent()).toContain('— Miles Davis');
    await expect.poll(async () => (await session())?.artist).toBe('Miles Davis');
    expect((await session())?.title).toBe('Blue in Green');

    await screenshot(page, 'listening-2-now-playing-desktop');

    // Cleared: the player's line goes and the lock screen names the stream again; the next track gets its own chat line.
    expect((await suite.server.call('DELETE', `/api/v1/streams/${stream.stream_id}/now-playing`, { as: host })).status).toBe(200);
    await page.getByTestId('now-playing').waitFor({ state: 'detached', timeout: 2_000 });
    await expect.poll(async () => (await session())?.title).toBe('Tone session');
    await suite.server.call('POST', `/api/v1/streams/${stream.stream_id}/now-playing`, { as: host, json: { title: 'So What' } });
    await page.getByTestId('chat-notice').filter({ hasText: /^Now playing: So What$/ }).first().waitFor({ timeout: 2_000 });
    expect(await page.getByTestId('chat-notice').allTextContents()).toEqual(['Now playing: Blue in Green — Miles Davis', 'Now playing: So What']);
    await page.setViewportSize(PHONE);
    await page.getByRole('tab', { name: 'Chat' }).click();
    await page.getByRole('region', { name: 'Live chat' }).getByTestId('chat-notice').first().waitFor();
    await screenshot(page, 'listening-2-now-playing-chat-phone');
  });

  it('switches to the listening player when a stream said video but its encoder sends sound only', { timeout: 60_000 }, async () => {
    suite.publisher?.child.kill('SIGKILL');
    const mismatched = await createStream(suite.server, host, { title: 'Said video, sends sound', category: 'music', record: false });
    suite.publisher = pushTone(ingestUrl(suite.server, mismatched.stream_key), { seconds: 50 });
    await eventually('the encoder to connect', async () => ((await statusOf(suite.server, host, mismatched.stream_id)).status === 'connected' ? true : undefined));
    expect((await suite.server.call('POST', `/api/v1/streams/${mismatched.stream_id}/start`, { as: host })).status).toBe(200);

    const listener = await (await suite.browser.newContext({ viewport: DESKTOP })).newPage();
    await listener.goto(`${suite.server.url}/s/${mismatched.stream_id}`);
    await listener.getByTestId('listening-player').waitFor({ timeout: 30_000 });
    expect(await listener.locator('video').count()).toBe(0);
    const time = () => listener.getByTestId('player-audio').evaluate((element) => (element as unknown as AudioState).currentTime);
    await expect.poll(time, { timeout: 30_000 }).toBeGreaterThan(1);
  });
});

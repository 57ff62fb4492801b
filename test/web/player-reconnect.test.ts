import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { screenshotBothSizes } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { pushTestPattern } from '../../testkit/publishers.js';
import { createStream, eventually, goLiveWithTestPattern, ingestUrl, statusOf, type Created } from '../../testkit/streams.js';

/** The parts of a <video> element the test reads (the test's Node types have no DOM). */
interface MediaElement {
  readonly currentTime: number;
  readonly paused: boolean;
  readonly seekable: { readonly length: number; end(index: number): number };
}

const videoState = (page: Page) =>
  page.getByTestId('player-video').evaluate((element) => {
    const video = element as unknown as MediaElement;
    return { currentTime: video.currentTime, paused: video.paused, edge: video.seekable.length > 0 ? video.seekable.end(video.seekable.length - 1) : 0 };
  });

async function playsFor(page: Page, seconds: number): Promise<void> {
  const from = (await videoState(page)).currentTime;
  await eventually(`the video to play ${seconds} s`, async () => ((await videoState(page)).currentTime - from >= seconds ? true : undefined), 40_000);
}

/**
 * A viewer's player through an encoder drop: while the stream is `reconnecting` the playlist
 * stops growing and the player keeps its last frame with no error over it; when the same key
 * publishes again it plays on by itself, back near the live edge, without a reload.
 */
describe('the player through an encoder reconnect', () => {
  const host = new TestUser();
  const suite = useBrowserSuite({ env: { RECONNECT_GRACE_SECONDS: '60' } });
  let stream: Created;

  beforeAll(async () => {
    stream = await createStream(suite.server, host, { title: 'Dropping encoder', quality: '360p', record: false });
    suite.publisher = await goLiveWithTestPattern(suite.server, host, stream, { seconds: 240, size: '640x360' });
  }, 60_000);

  it('keeps the last frame while the encoder is away and plays on at the edge when it is back', { timeout: 150_000 }, async () => {
    const page = await suite.browser.newPage();
    await page.goto(`${suite.server.url}/s/${stream.stream_id}`);
    await playsFor(page, 2);

    suite.publisher?.child.kill('SIGKILL');
    await eventually('reconnecting', async () => ((await statusOf(suite.server, host, stream.stream_id)).status === 'reconnecting' ? true : undefined));
    // Long enough for the buffer to run dry and hls.js to give up a few reloads.
    const stalledAt = (await videoState(page)).currentTime;
    await page.waitForTimeout(12_000);
    const stalled = await videoState(page);
    expect(stalled.currentTime - stalledAt).toBeLessThan(4);
    expect(await page.getByText('The stream could not be loaded', { exact: false }).count()).toBe(0);
    await screenshotBothSizes(page, 'player-reconnecting');

    suite.publisher = pushTestPattern(ingestUrl(suite.server, stream.stream_key), { seconds: 240, size: '640x360' });
    await eventually('live again', async () => ((await statusOf(suite.server, host, stream.stream_id)).status === 'live' ? true : undefined), 40_000);
    await playsFor(page, 3);
    await expect.poll(async () => {
      const state = await videoState(page);
      return state.edge - state.currentTime;
    }, { timeout: 30_000 }).toBeLessThan(4);
    expect((await videoState(page)).paused).toBe(false);
    await page.close();
  });
});

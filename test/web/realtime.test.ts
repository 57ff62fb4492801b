import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { screenshot } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { createStream, eventually, goLiveWithTestPattern, statusOf, type Created } from '../../testkit/streams.js';

/** Chromium hides its host candidates behind mDNS names unless told not to; the service runs on this machine. */
const WEBRTC_ON_THIS_MACHINE = '--disable-features=WebRtcHideLocalIpsWithMdns';

const hasRealtimeVideo = (page: Page) =>
  page.getByTestId('player-video').evaluate((element) => (element as unknown as { srcObject: unknown }).srcObject !== null);

async function playsFor(page: Page, seconds: number): Promise<void> {
  const time = () => page.getByTestId('player-video').evaluate((element) => (element as unknown as { currentTime: number }).currentTime);
  const from = await time();
  await eventually(`the video to play ${seconds} s`, async () => ((await time()) - from >= seconds ? true : undefined), 30_000);
}

/**
 * Real-time on the public stream page, with a limit of one real-time viewer: the first viewer
 * watches over WebRTC (WHEP), the second is told it is full and keeps watching LL-HLS, and a place
 * given back is taken.
 */
describe('real-time viewers on the stream page', () => {
  const host = new TestUser();
  const suite = useBrowserSuite({ env: { WHEP_MAX_VIEWERS: '1' }, browserArgs: [WEBRTC_ON_THIS_MACHINE] });
  let stream: Created;

  beforeAll(async () => {
    stream = await createStream(suite.server, host, { title: 'Real time', record: false });
    suite.publisher = await goLiveWithTestPattern(suite.server, host, stream, { seconds: 240, size: '640x360' });
  }, 60_000);

  async function viewer(page: Page): Promise<ReturnType<Page['getByRole']>> {
    await page.goto(`${suite.server.url}/s/${stream.stream_id}`);
    await playsFor(page, 1);
    return page.getByRole('switch', { name: /^Real-time/ });
  }

  it('plays the first viewer over WebRTC and keeps the next on LL-HLS, saying it is full, until the place is free', { timeout: 120_000 }, async () => {
    const status = await statusOf(suite.server, host, stream.stream_id);
    expect(status.whep_url).toBe(`${suite.server.url}/api/v1/streams/${stream.stream_id}/whep`);
    const first = await (await suite.browser.newContext()).newPage();
    const firstSwitch = await viewer(first);
    await firstSwitch.click();
    await eventually('the real-time stream in the first viewer', async () => ((await hasRealtimeVideo(first)) ? true : undefined));
    expect(await firstSwitch.getAttribute('aria-checked')).toBe('true');
    await playsFor(first, 2);

    const second = await (await suite.browser.newContext()).newPage();
    const secondSwitch = await viewer(second);
    await secondSwitch.click();
    // A toast, off the picture (by its test id: Radix also copies its words into a screen-reader announcer).
    await second.getByTestId('toast').getByText('Real-time is full right now — playing with low latency instead').waitFor({ timeout: 10_000 });
    expect(await secondSwitch.getAttribute('aria-checked')).toBe('false');
    expect(await hasRealtimeVideo(second)).toBe(false);
    await playsFor(second, 1);
    await screenshot(second, 'realtime-full-fallback');

    // The first viewer goes back to LL-HLS: its place is given back (DELETE) and the second gets it.
    await firstSwitch.click();
    await eventually('the first viewer back on LL-HLS', async () => ((await hasRealtimeVideo(first)) ? undefined : true));
    await playsFor(first, 1);
    // The place is free once the first viewer's DELETE has been answered; until then the second may still hear "full".
    await eventually('the second viewer to get the free place', async () => {
      if ((await secondSwitch.getAttribute('aria-checked')) === 'false') await secondSwitch.click();
      return (await hasRealtimeVideo(second)) ? true : undefined;
    }, 30_000);
    await playsFor(second, 2);
    await first.context().close();
    await second.context().close();
  });
  it('falls back to LL-HLS within seconds, and says so, when the real-time server never answers', { timeout: 60_000 }, async () => {
    const page = await (await suite.browser.newContext()).newPage();
    // The offer goes out and nothing comes back: a proxy that swallows it, a server gone quiet.
    await page.route(/\/whep$/, () => undefined);
    const realtime = await viewer(page);
    const pressed = Date.now();
    await realtime.click();
    await page.getByTestId('toast').getByText('Real-time could not connect (your network may block it) — playing with low latency instead').waitFor({ timeout: 10_000 });
    expect(Date.now() - pressed).toBeLessThan(8_000);
    expect(await realtime.getAttribute('aria-checked')).toBe('false');
    expect(await hasRealtimeVideo(page)).toBe(false);
    await playsFor(page, 1);
    await page.context().close();
  });
});

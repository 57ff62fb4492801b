import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, launchBrowser, screenshotBothSizes, signInWithExtension } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { createStream, eventually, goLiveWithTestPattern, statusOf, type Created } from '../../testkit/streams.js';

/** Where the page's <video> is against what it can seek to. */
interface VideoState {
  readonly currentTime: number;
  readonly seekableEnd: number;
  readonly playbackRate: number;
  readonly paused: boolean;
}

/** The part of HTMLVideoElement these checks touch (the server's TypeScript has no DOM types). */
interface MediaElement {
  currentTime: number;
  readonly seekable: { readonly length: number; start(index: number): number; end(index: number): number };
  readonly playbackRate: number;
  readonly paused: boolean;
}

const videoState = (page: Page): Promise<VideoState> =>
  page.getByTestId('player-video').evaluate((element) => {
    const video = element as unknown as MediaElement;
    const { seekable } = video;
    return {
      currentTime: video.currentTime,
      seekableEnd: seekable.length > 0 ? seekable.end(seekable.length - 1) : 0,
      playbackRate: video.playbackRate,
      paused: video.paused,
    };
  });

const liveBadge = (page: Page) => page.getByRole('group', { name: /^Video player/ }).getByText('LIVE', { exact: true });

async function playsFor(page: Page, seconds: number): Promise<void> {
  const from = (await videoState(page)).currentTime;
  await eventually(`the video to play ${seconds} s`, async () => ((await videoState(page)).currentTime - from >= seconds ? true : undefined), 30_000);
}

/** The first rendition's media playlist, as hls.js reads it. */
async function mediaPlaylist(master: string): Promise<string> {
  const text = await (await fetch(master)).text();
  const variant = text.split('\n').find((line) => line.length > 0 && !line.startsWith('#'));
  if (!variant) throw new Error(`no variant in ${text}`);
  return (await fetch(new URL(variant, master))).text();
}

const attribute = (playlist: string, name: string): number => {
  const match = new RegExp(`${name}=([0-9.]+)`).exec(playlist);
  if (!match?.[1]) throw new Error(`no ${name} in the playlist:\n${playlist}`);
  return Number(match[1]);
};

/**
 * The player at the live edge, in Chromium against the service's own LL-HLS stream: "Go to live"
 * after a pause and a seek back lands within a part of hls.js's live sync position (the edge minus
 * PART-HOLD-BACK), a stall longer than hls.js's catch-up reaches brings it back to the edge by itself, the dashboard's preview shows the streamer their latency, its Real-time switch
 * plays over WHEP and back (test/web/realtime.test.ts has its fallbacks), and a plain HLS
 * playlist (no parts) still plays with low-latency mode on.
 */
describe('the player at the live edge', () => {
  const streamer = new BrowserUser();
  const host = new TestUser(streamer.secret);
  const suite = useBrowserSuite();
  let stream: Created;

  beforeAll(async () => {
    stream = await createStream(suite.server, host, { title: 'Edge of live', record: false });
    suite.publisher = await goLiveWithTestPattern(suite.server, host, stream, { seconds: 240, size: '640x360' });
  }, 60_000);

  it('goes back to the live edge after a pause and a seek back', { timeout: 120_000 }, async () => {
    const status = await statusOf(suite.server, host, stream.stream_id);
    const playlist = await eventually('an LL-HLS media playlist', async () => {
      const text = await mediaPlaylist(status.preview_url ?? '');
      return text.includes('#EXT-X-PART:') ? text : undefined;
    });
    const partTarget = attribute(playlist, 'PART-TARGET');
    const partHoldBack = attribute(playlist, 'PART-HOLD-BACK');

    const page = await suite.browser.newPage();
    await page.goto(`${suite.server.url}/s/${stream.stream_id}`);
    await playsFor(page, 3);
    await liveBadge(page).waitFor();

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.waitForTimeout(4_000);
    await page.getByTestId('player-video').evaluate((element) => {
      const video = element as unknown as MediaElement;
      video.currentTime = Math.max(video.seekable.start(0), video.currentTime - 3);
    });
    const behind = await videoState(page);
    expect(behind.seekableEnd - behind.currentTime).toBeGreaterThan(partHoldBack + partTarget + 1);

    await page.getByRole('button', { name: 'Go to live' }).click();
    await liveBadge(page).waitFor({ timeout: 5_000 });
    const atEdge = await videoState(page);
    expect(atEdge.paused).toBe(false);
    // Go to live resets the rate to 1; hls.js may then nudge it while the edge moves on, never past the gentle 1.1.
    expect(atEdge.playbackRate).toBeGreaterThanOrEqual(1);
    expect(atEdge.playbackRate).toBeLessThanOrEqual(1.1);
    // hls.js's live sync position is at most one part before the edge and about PART-HOLD-BACK behind it.
    const distance = atEdge.seekableEnd - atEdge.currentTime;
    expect(distance).toBeGreaterThanOrEqual(0);
    expect(distance).toBeLessThanOrEqual(partHoldBack + partTarget + 1);
    expect(await page.getByRole('button', { name: 'Go to live' }).count()).toBe(0);
    await page.close();
  });

  it('comes back to the edge by itself after a stall it did not ask for', { timeout: 120_000 }, async () => {
    const page = await suite.browser.newPage();
    await page.goto(`${suite.server.url}/s/${stream.stream_id}`);
    await playsFor(page, 2);
    await liveBadge(page).waitFor();
    // The network holds every media request for 10 s: the buffer runs dry and playback waits.
    let held = true;
    await page.route(/\.(m4s|m3u8)(\?|$)/, async (route) => {
      while (held) await new Promise((resolve) => setTimeout(resolve, 100));
      await route.continue().catch(() => undefined);
    });
    const before = (await videoState(page)).currentTime;
    await page.waitForTimeout(10_000);
    const duringStall = await videoState(page);
    expect(duringStall.currentTime - before).toBeLessThan(3);
    held = false;
    await page.unroute(/\.(m4s|m3u8)(\?|$)/);
    // Ten seconds behind is past what playing at 1.1× catches up (hls.js alone stays there): the player jumps back.
    const fromEdge = async () => {
      const state = await videoState(page);
      return state.seekableEnd - state.currentTime;
    };
    await expect.poll(fromEdge, { timeout: 15_000 }).toBeLessThan(3);
    await liveBadge(page).waitFor();
    expect((await videoState(page)).paused).toBe(false);
    await page.close();
  });

  it('shows the streamer the preview latency on the dashboard', { timeout: 120_000 }, async () => {
    const page = await (await streamer.context(suite.browser)).newPage();
    await page.goto(`${suite.server.url}/`);
    await signInWithExtension(page);
    await page.goto(`${suite.server.url}/dashboard/${stream.stream_id}`);
    const readout = page.getByTestId('latency-readout');
    await readout.waitFor({ timeout: 30_000 });
    await playsFor(page, 3);
    const text = (await readout.textContent()) ?? '';
    const match = /^Latency (\d+\.\d) s$/.exec(text);
    expect(match, text).not.toBeNull();
    const seconds = Number(match?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(0);
    expect(seconds).toBeLessThan(30);
    console.log(`dashboard preview: ${text}`);
    await screenshotBothSizes(page, 'player-latency-readout');
    await page.close();
  });

  it('switches the preview to real-time over WHEP and back to LL-HLS', { timeout: 120_000 }, async () => {
    // Chromium hides its host candidates behind mDNS names unless told not to; the service runs on this machine.
    const browser = await launchBrowser(['--disable-features=WebRtcHideLocalIpsWithMdns']);
    try {
      const page = await (await streamer.context(browser)).newPage();
      await page.goto(`${suite.server.url}/`);
      await signInWithExtension(page);
      await page.goto(`${suite.server.url}/dashboard/${stream.stream_id}`);
      await playsFor(page, 2);
      const realtime = page.getByRole('switch', { name: /^Real-time/ });
      await realtime.click();
      await eventually('the real-time stream in the video', async () =>
        (await page.getByTestId('player-video').evaluate((element) => (element as unknown as { srcObject: unknown }).srcObject !== null)) ? true : undefined,
      );
      expect(await realtime.getAttribute('aria-checked')).toBe('true');
      await playsFor(page, 2);
      // The readout is the HLS picture's age; real-time has no program date time to show.
      expect(await page.getByTestId('latency-readout').count()).toBe(0);

      await realtime.click();
      await page.getByTestId('latency-readout').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('player-video').evaluate((element) => (element as unknown as { srcObject: unknown }).srcObject)).toBeNull();
      await playsFor(page, 2);
    } finally {
      await browser.close();
    }
  });

  describe('on a plain HLS playlist', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'wlk-plain-hls-'));
      // 20 s of 2 s MPEG-TS segments with no ENDLIST: what the origin served before LL-HLS, and what other servers serve.
      execFileSync('ffmpeg', [
        '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
        '-t', '20', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '60', '-c:a', 'aac',
        '-f', 'hls', '-hls_time', '2', '-hls_list_size', '0', '-hls_flags', 'omit_endlist', '-hls_segment_filename', path.join(dir, 'seg_%03d.ts'),
        path.join(dir, 'index.m3u8'),
      ]);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('still plays it with low-latency mode on', { timeout: 120_000 }, async () => {
      const playlist = readFileSync(path.join(dir, 'index.m3u8'), 'utf8');
      expect(playlist).not.toContain('#EXT-X-PART');
      expect(playlist).not.toContain('#EXT-X-ENDLIST');

      const context = await suite.browser.newContext();
      // The stream page as usual, with this stream's playlists and segments answered from the plain HLS folder.
      await context.route(`**/hls/${stream.stream_id}/**`, (route) => {
        const name = path.basename(new URL(route.request().url()).pathname);
        return name.endsWith('.ts')
          ? route.fulfill({ contentType: 'video/mp2t', body: readFileSync(path.join(dir, name)) })
          : route.fulfill({ contentType: 'application/vnd.apple.mpegurl', body: playlist });
      });
      const page = await context.newPage();
      await page.goto(`${suite.server.url}/s/${stream.stream_id}`);
      await playsFor(page, 2);
      const state = await videoState(page);
      // Without parts hls.js holds three target durations back: the start is near 20 − 6 s, not at the edge.
      expect(state.seekableEnd).toBeGreaterThan(18);
      expect(state.currentTime).toBeGreaterThan(10);
      await liveBadge(page).waitFor();
      await context.close();
    });
  });
});

import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { audit, auditContext } from '../../testkit/axe.js';
import { BrowserUser, boxOf, screenshot, screenshotBothSizes } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { pushTone, type PublisherProcess } from '../../testkit/publishers.js';
import { createStream, eventually, goLiveWithTestPattern, ingestUrl, statusOf, type Created } from '../../testkit/streams.js';
import { clock, spokenPosition } from '../../web/src/components/player/timeline.js';

/** The phone (an iPhone 12–15 class screen). */
const PHONE = { width: 390, height: 844 };
/** Long enough that the middle of the recording is worth resuming (more than 10 s from either end). */
const RECORDED_SECONDS = 30;

/** The parts of a <video> element the test reads and sets (the test's Node types have no DOM). */
interface MediaElement {
  currentTime: number;
  readonly duration: number;
  readonly playbackRate: number;
  readonly paused: boolean;
  readonly muted: boolean;
}

const video = (page: Page) => page.getByTestId('player-video');

/** Seconds of media the live stream's first rendition has written so far: every segment since the first, trimmed from the window or not. */
async function secondsWritten(baseUrl: string, streamId: string): Promise<number> {
  const hls = `${baseUrl}/hls/${streamId}`;
  const rendition = (await (await fetch(`${hls}/master.m3u8`)).text()).split('\n').find((line) => line !== '' && !line.startsWith('#'));
  if (rendition === undefined) return 0;
  const playlist = await (await fetch(new URL(rendition, `${hls}/master.m3u8`))).text();
  const durations = [...playlist.matchAll(/^#EXTINF:([\d.]+)/gm)].map((match) => Number(match[1]));
  const firstInWindow = Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)/m.exec(playlist)?.[1] ?? 0);
  const average = durations.length === 0 ? 0 : durations.reduce((sum, each) => sum + each, 0) / durations.length;
  return (firstInWindow + durations.length) * average;
}
/** One property of the page's <video>, read in the page. */
const media = <K extends keyof MediaElement>(page: Page, key: K): Promise<MediaElement[K]> =>
  video(page).evaluate((element, name) => (element as unknown as MediaElement)[name as K], key);
const currentTime = (page: Page) => media(page, 'currentTime');
const playbackRate = (page: Page) => media(page, 'playbackRate');
const player = (page: Page) => page.getByRole('group', { name: /^Video player/ });

/** The pill sits in a corner: it covers none of the middle third of the picture. */
async function expectOffCentre(page: Page): Promise<void> {
  const frame = await boxOf(player(page));
  const pill = await boxOf(page.getByTestId('unmute-pill'));
  const centre = { left: frame.x + frame.width / 3, right: frame.x + (2 * frame.width) / 3, top: frame.y + frame.height / 3, bottom: frame.y + (2 * frame.height) / 3 };
  const overlaps = pill.x < centre.right && pill.x + pill.width > centre.left && pill.y < centre.bottom && pill.y + pill.height > centre.top;
  expect(overlaps).toBe(false);
}

/**
 * The player's controls in Chromium: on a live stream the corner "Unmute" pill (and "Tap to
 * unmute" on a touch screen), picture-in-picture on a desktop and the "Real-time" switch on one
 * line at phone width; on the same stream's recording the seek bar with its duration, keyboard
 * seeking, the speed menu, and resuming after a reload where the viewer was.
 */
describe('the player controls', () => {
  const host = new TestUser();
  const viewer = new BrowserUser();
  const suite = useBrowserSuite();
  let stream: Created;
  let sound: Created;
  let tone: PublisherProcess | undefined;
  const contexts: BrowserContext[] = [];
  const context = async (options: { phone?: boolean } = {}) => {
    const made = await (options.phone ? viewer.context(suite.browser, { phone: true, bypassCSP: true }) : auditContext(suite.browser, viewer));
    contexts.push(made);
    return made;
  };

  beforeAll(async () => {
    stream = await createStream(suite.server, host, { title: 'Seekable pattern', quality: '360p', record: true });
    suite.publisher = await goLiveWithTestPattern(suite.server, host, stream, { seconds: 240, size: '640x360' });
    // A stream of sound, recorded alongside: the listening player's recording gets the same seek bar.
    sound = await createStream(suite.server, host, { title: 'Seekable tone', category: 'music', stream_type: 'audio', record: true });
    tone = pushTone(ingestUrl(suite.server, sound.stream_key), { seconds: 240 });
    await eventually('the tone to connect', async () => ((await statusOf(suite.server, host, sound.stream_id)).status === 'connected' ? true : undefined));
    expect((await suite.server.call('POST', `/api/v1/streams/${sound.stream_id}/start`, { as: host })).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    tone?.child.kill('SIGKILL');
    for (const made of contexts) await made.close();
  });

  it('says "Unmute" in a corner on a desktop and "Tap to unmute" on a touch screen, with picture-in-picture on the desktop only', { timeout: 120_000 }, async () => {
    const desktop = await (await context()).newPage();
    await desktop.goto(`${suite.server.url}/s/${stream.stream_id}`);
    const pill = desktop.getByTestId('unmute-pill');
    await pill.waitFor({ timeout: 40_000 });
    expect(await pill.textContent()).toBe('Unmute');
    await expectOffCentre(desktop);
    // The pill repeats the controls' mute button, which keeps the one accessible name.
    expect(await desktop.getByRole('button', { name: 'Unmute', exact: true }).count()).toBe(1);
    await desktop.getByRole('button', { name: 'Picture-in-picture' }).waitFor();
    expect(await desktop.getByText('LIVE', { exact: true }).count()).toBeGreaterThan(0);
    expect(await audit(desktop, 'player, live, desktop')).toEqual([]);
    await screenshotBothSizes(desktop, 'player-live');

    // At a phone's width the Real-time switch keeps to one line (an icon, its name for screen readers).
    await desktop.setViewportSize(PHONE);
    const realtime = desktop.getByRole('switch', { name: 'Real-time' });
    const label = await boxOf(desktop.locator(`label[for="${await realtime.getAttribute('id')}"]`));
    expect(label.height).toBeLessThanOrEqual(20);
    const controls = await boxOf(realtime.locator('xpath=../..'));
    expect(controls.height).toBeLessThanOrEqual(40);

    // Clicking the pill unmutes and takes it away.
    await desktop.setViewportSize({ width: 1440, height: 900 });
    await pill.click();
    await expect.poll(() => media(desktop, 'muted')).toBe(false);
    await pill.waitFor({ state: 'detached' });

    const phone = await (await context({ phone: true })).newPage();
    await phone.setViewportSize(PHONE);
    await phone.goto(`${suite.server.url}/s/${stream.stream_id}`);
    const tap = phone.getByTestId('unmute-pill');
    await tap.waitFor({ timeout: 40_000 });
    expect(await tap.textContent()).toBe('Tap to unmute');
    await expectOffCentre(phone);
    expect(await phone.getByRole('button', { name: 'Picture-in-picture' }).count()).toBe(0);
    expect(await audit(phone, 'player, live, touch')).toEqual([]);
    await screenshot(phone, 'player-live-touch-phone');
  });

  it('seeks a recording by keyboard, plays it faster, and resumes it after a reload', { timeout: 180_000 }, async () => {
    // Enough broadcast for a middle worth resuming, then the host ends it and the recording is finalised.
    // Counted in media written, not in time connected: on a loaded machine the transcoder runs
    // seconds behind its encoder, and what it has not written when the host stops is not recorded.
    await eventually(
      `${RECORDED_SECONDS} s of broadcast`,
      async () => (await secondsWritten(suite.server.url, stream.stream_id)) >= RECORDED_SECONDS || undefined,
      RECORDED_SECONDS * 1000 + 60_000,
    );
    const stopped = await suite.server.call('POST', `/api/v1/streams/${stream.stream_id}/stop`, { as: host });
    expect(stopped.status).toBe(200);
    await eventually('the recording', async () => (await statusOf(suite.server, host, stream.stream_id)).recording_url ?? undefined, 60_000);

    const page = await (await context()).newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${suite.server.url}/s/${stream.stream_id}`);
    // An ended stream's page may show an end card first: its replay button leads to the recording.
    const replay = page.getByRole('button', { name: /watch the replay/i }).or(page.getByRole('link', { name: /watch the replay/i }));
    await replay.or(page.getByTestId('seek-bar')).first().waitFor({ timeout: 30_000 });
    if (await replay.isVisible()) await replay.click();

    const seek = page.getByRole('slider', { name: 'Seek' });
    await expect.poll(() => page.getByTestId('duration').textContent(), { timeout: 30_000 }).toMatch(/^0:[2-5]\d$/);
    const duration = await media(page, 'duration');
    expect(duration).toBeGreaterThan(RECORDED_SECONDS - 8);
    expect(await page.getByText('LIVE', { exact: true }).count()).toBe(0);
    await expect.poll(() => seek.getAttribute('aria-valuetext')).toMatch(/^\d:\d\d of 0:[2-5]\d$/);

    // Keyboard on the focused player: k pauses, Home goes to the start, → steps 5 s, l jumps 10 s, 5 goes halfway.
    await player(page).focus();
    await page.keyboard.press('k');
    await expect.poll(() => media(page, 'paused')).toBe(true);
    await page.keyboard.press('Home');
    await expect.poll(() => currentTime(page)).toBeLessThan(0.5);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => currentTime(page)).toBeCloseTo(5, 0);
    await page.keyboard.press('l');
    await expect.poll(() => currentTime(page)).toBeCloseTo(15, 0);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => currentTime(page)).toBeCloseTo(10, 0);
    await page.keyboard.press('5');
    await expect.poll(() => currentTime(page)).toBeCloseTo(duration / 2, 0);
    // The slider says where the (paused) playhead is, against the whole recording.
    await expect
      .poll(async () => (await seek.getAttribute('aria-valuetext')) === spokenPosition(await currentTime(page), await media(page, 'duration')))
      .toBe(true);
    // The seek bar answers the same keys when it has the focus.
    await seek.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => currentTime(page)).toBeCloseTo(duration / 2 + 5, 0);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => currentTime(page)).toBeCloseTo(duration / 2, 0);
    expect(await audit(page, 'player, recording, paused')).toEqual([]);
    await screenshotBothSizes(page, 'player-recording');

    // Speed 1.5×, from the menu.
    const speed = page.getByRole('button', { name: /^Playback speed/ });
    await speed.click();
    await page.getByRole('menuitemradio', { name: '1.5×' }).click();
    await expect.poll(() => playbackRate(page)).toBe(1.5);
    expect(await speed.getAttribute('aria-label')).toBe('Playback speed 1.5×');
    await speed.click();
    await page.getByRole('menu').waitFor();
    expect(await page.getByRole('menuitemradio', { name: '1.5×' }).getAttribute('aria-checked')).toBe('true');
    expect(await audit(page, 'player, speed menu')).toEqual([]);
    await screenshot(page, 'player-speed-menu-desktop');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });

    // A reload comes back where the viewer was (saved as the page went away), and says so with a way back to the start.
    // Paused first, so that the place read here is the place saved.
    await video(page).evaluate((element) => (element as unknown as { pause(): void }).pause());
    await expect.poll(() => media(page, 'paused')).toBe(true);
    const saved = await currentTime(page);
    await page.reload();
    const resumed = page.getByTestId('toast').filter({ hasText: /^Resumed at 0:\d\d/ });
    await resumed.waitFor({ timeout: 30_000 });
    await expect.poll(() => currentTime(page), { timeout: 20_000 }).toBeGreaterThanOrEqual(saved - 1);
    expect(await currentTime(page)).toBeLessThan(saved + 6);
    expect(await resumed.textContent()).toContain(`Resumed at ${clock(saved)}`);
    await screenshotBothSizes(page, 'player-resumed');
    await resumed.getByRole('button', { name: 'Start over' }).click();
    await expect.poll(() => currentTime(page)).toBeLessThan(3);
  });

  it('gives an audio recording the seek bar and the seeking keys in the listening player', { timeout: 120_000 }, async () => {
    const stopped = await suite.server.call('POST', `/api/v1/streams/${sound.stream_id}/stop`, { as: host });
    expect(stopped.status).toBe(200);
    tone?.child.kill('SIGKILL');
    await eventually('the audio recording', async () => (await statusOf(suite.server, host, sound.stream_id)).recording_url ?? undefined, 60_000);

    const page = await (await context()).newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${suite.server.url}/s/${sound.stream_id}`);
    const replay = page.getByRole('button', { name: /watch the replay|listen to the replay/i });
    await replay.or(page.getByTestId('seek-bar')).first().waitFor({ timeout: 30_000 });
    if (await replay.isVisible()) await replay.click();
    const listening = page.getByTestId('listening-player');
    await expect.poll(() => listening.getByTestId('duration').textContent(), { timeout: 30_000 }).toMatch(/^0:[2-5]\d$/);
    const audioTime = () => page.getByTestId('player-audio').evaluate((element) => (element as unknown as MediaElement).currentTime);
    await listening.focus();
    await page.keyboard.press('k');
    await expect.poll(() => page.getByTestId('player-audio').evaluate((element) => (element as unknown as MediaElement).paused)).toBe(true);
    await page.keyboard.press('Home');
    await expect.poll(audioTime).toBeLessThan(0.5);
    await page.keyboard.press('ArrowRight');
    await expect.poll(audioTime).toBeCloseTo(5, 0);
    await page.getByRole('button', { name: /^Playback speed/ }).waitFor();
    expect(await audit(page, 'listening player, recording')).toEqual([]);
    await screenshotBothSizes(page, 'player-listening-recording');
  });
});

import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { StreamView } from '../../src/protocol/api-views.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { pushTone, type PublisherProcess } from '../../testkit/publishers.js';
import { createStream, eventually, ingestUrl } from '../../testkit/streams.js';

/** The sizes the screenshots are taken at: a laptop and a phone. */
const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;

/**
 * The streamer's side of an audio-only stream in Chromium against the real server, fed by a
 * real ffmpeg push of sound only: the Go Live form's "Audio only" and the OBS guide for sound,
 * "now playing" set and cleared from the dashboard, and the dashboard's note when the encoder
 * sends sound only to a stream set up as video, with the switch that fixes it.
 */
describe('audio streams, the streamer side, in the browser', () => {
  const streamer = new BrowserUser();
  const host = new TestUser(streamer.secret);
  const suite = useBrowserSuite();
  const publishers: PublisherProcess[] = [];

  const streamJson = async (id: string) => (await suite.server.call<StreamView>('GET', `/api/v1/streams/${id}/status`, { as: host })).body;
  /** `<name>-desktop.png` and `<name>-phone.png`, from the top of the page or with `part` scrolled into view. */
  const shootBothSizes = async (page: Page, name: string, part?: Locator) => {
    for (const [size, viewport] of Object.entries(SIZES)) {
      await page.setViewportSize(viewport);
      if (part) await part.scrollIntoViewIfNeeded();
      else await page.evaluate('window.scrollTo(0, 0)');
      await screenshot(page, `${name}-${size}`);
    }
    await page.setViewportSize(SIZES.desktop);
  };
  const signedInPage = async (path: string) => {
    const page = await (await streamer.context(suite.browser)).newPage();
    page.on('pageerror', (error) => process.stderr.write(`page error: ${error.message}\n`));
    await page.setViewportSize(SIZES.desktop);
    await page.goto(`${suite.server.url}/`);
    await signInWithExtension(page);
    await page.goto(`${suite.server.url}${path}`);
    return page;
  };
  /** Pushes sound only (a 48 kHz AAC tone, as the new user does) with the stream's key. */
  const pushSound = (key: string) => {
    const publisher = pushTone(ingestUrl(suite.server, key), { seconds: 90 });
    publishers.push(publisher);
    return publisher;
  };
  const stopSound = () => {
    for (const publisher of publishers.splice(0)) publisher.child.kill('SIGKILL');
  };

  it('creates an audio stream from the Go Live form and shows the OBS guide for sound only', { timeout: 60_000 }, async () => {
    const page = await signedInPage('/go-live');
    // Video by default; the audio choice says what it means before it is chosen.
    expect(await page.getByRole('radio', { name: 'Video' }).isChecked()).toBe(true);
    await page.getByText('listeners get a listening player with your cover art instead of a picture').waitFor();
    await page.getByRole('radio', { name: 'Audio only' }).check();
    await page.getByLabel('Cover art URL (optional)').waitFor();
    await page.getByText('without one, your profile picture is used, else a card with the stream’s title').waitFor();
    // The picture's quality ladder does not apply to sound.
    expect(await page.getByLabel('Quality ladder (top rung)').isVisible()).toBe(false);
    await page.getByLabel('Title', { exact: true }).fill('Late night vinyl');
    await page.getByLabel('Category').selectOption('music');
    await shootBothSizes(page, 'audio-streamer-1-go-live-form');

    await page.getByRole('button', { name: 'Create stream' }).click();
    await page.waitForURL(/\/dashboard\//);
    const id = page.url().split('/dashboard/')[1] ?? '';
    expect((await streamJson(id)).stream_type).toBe('audio');

    const steps = page.getByTestId('obs-steps');
    await expect.poll(() => steps.textContent(), { timeout: 5_000 }).toContain('Audio Input Capture');
    const guide = (await steps.textContent()) ?? '';
    expect(guide).toContain('Audio Output Capture');
    expect(guide).toContain('Media Source');
    expect(guide).toContain('still Image source');
    expect(guide).toContain('Audio bitrate 128–320 kbps (AAC)');
    expect(guide).toContain('Sample rate 48 kHz');
    // Nothing about a picture's encoder or size.
    expect(guide).not.toMatch(/x264|1920×1080|fps/);
    await page.context().close();
  });

  it('sets and clears now playing from the dashboard, and lists the tracks with their times', { timeout: 90_000 }, async () => {
    const created = await createStream(suite.server, host, { title: 'Sunday sessions', category: 'music', stream_type: 'audio' });
    const page = await signedInPage(`/dashboard/${created.stream_id}`);
    try {
      pushSound(created.stream_key);
      await expect.poll(() => page.getByTestId('stream-status').textContent(), { timeout: 20_000 }).toContain('Connected');
      await page.getByRole('button', { name: 'Start broadcast' }).click();
      await expect.poll(() => page.getByTestId('stream-status').textContent(), { timeout: 10_000 }).toContain('LIVE');

      // The preview is the sound (playing, muted) and the cover art, not a black video box.
      const preview = page.getByTestId('preview-audio');
      await expect
        .poll(() => preview.evaluate((element) => (element as unknown as { currentTime: number }).currentTime), { timeout: 30_000 })
        .toBeGreaterThan(0);
      expect(await page.getByTestId('player-video').count()).toBe(0);
      expect(await page.getByRole('group', { name: 'Preview: sound only' }).getByRole('button', { name: 'Unmute' }).count()).toBe(1);

      // The stream info form names the cover field as the cover art too.
      await page.getByLabel('Cover art URL', { exact: true }).waitFor();

      // A mistake is named before anything is sent.
      await page.getByLabel('Link (optional)').fill('wavlake.com/track/1');
      await page.getByRole('button', { name: 'Set now playing' }).click();
      await expect.poll(() => page.getByRole('alert').allTextContents(), { timeout: 5_000 }).toContain('title is required');
      await page.getByLabel('Track title').fill('Blue in Green');
      await page.getByRole('button', { name: 'Set now playing' }).click();
      await expect.poll(() => page.getByRole('alert').allTextContents(), { timeout: 5_000 }).toContain('link must be an http(s) URL');
      await page.getByLabel('Artist (optional)').fill('Miles Davis');
      await page.getByLabel('Link (optional)').fill('https://wavlake.com/track/blue-in-green');
      await page.getByRole('button', { name: 'Set now playing' }).click();

      const nowPlaying = await eventually('now playing in the stream JSON', async () => (await streamJson(created.stream_id)).now_playing ?? undefined);
      expect(nowPlaying).toMatchObject({ title: 'Blue in Green', artist: 'Miles Davis', link: 'https://wavlake.com/track/blue-in-green' });
      await expect.poll(() => page.getByTestId('current-track').textContent(), { timeout: 5_000 }).toBe('Blue in Green — Miles Davis');
      const tracks = page.getByTestId('track');
      await expect.poll(() => tracks.count(), { timeout: 5_000 }).toBe(1);
      expect(await tracks.first().textContent()).toMatch(/^0:00:\d\dBlue in Green — Miles DavisLink/);
      expect(await tracks.first().getByRole('link').getAttribute('href')).toBe('https://wavlake.com/track/blue-in-green');
      // The ingest health shows the sound's own figures, not the picture's empty ones (once 2 s of sound without a picture have told the pipeline).
      const health = page.getByTestId('ingest-health');
      await expect.poll(() => health.textContent(), { timeout: 10_000 }).toContain('Sample rate48 kHz');
      expect(await health.textContent()).not.toContain('Frame rate');
      await shootBothSizes(page, 'audio-streamer-2-dashboard');
      await shootBothSizes(page, 'audio-streamer-3-now-playing', page.getByRole('heading', { name: 'Now playing' }));

      await page.getByRole('button', { name: 'Clear', exact: true }).click();
      await eventually('now playing cleared', async () => ((await streamJson(created.stream_id)).now_playing === null ? true : undefined));
      await expect.poll(() => page.getByTestId('current-track').textContent(), { timeout: 5_000 }).toContain('No track set');
      // The track stays on the stream's timeline, and the analytics page lists it too.
      expect(await tracks.count()).toBe(1);
      await page.goto(`${suite.server.url}/analytics/${created.stream_id}`);
      const listed = page.getByTestId('track-list').getByTestId('track');
      await expect.poll(() => listed.count(), { timeout: 10_000 }).toBe(1);
      expect(await listed.first().textContent()).toContain('Blue in Green — Miles Davis');
    } finally {
      stopSound();
      await page.context().close();
    }
  });

  it('notes a video stream that receives sound only, and switches it to an audio stream', { timeout: 90_000 }, async () => {
    const created = await createStream(suite.server, host, { title: 'Forgot to pick audio', category: 'music' });
    const page = await signedInPage(`/dashboard/${created.stream_id}`);
    try {
      expect((await streamJson(created.stream_id)).stream_type).toBe('video');
      pushSound(created.stream_key);
      const note = page.getByTestId('stream-type-mismatch');
      await note.waitFor({ timeout: 30_000 });
      expect(await note.textContent()).toContain('Your encoder is sending sound only, but this stream is set up as a video stream.');
      await page.getByRole('button', { name: 'Switch to audio stream' }).click();
      await eventually('the stream type to become audio', async () => ((await streamJson(created.stream_id)).stream_type === 'audio' ? true : undefined));
      await note.waitFor({ state: 'detached' });
      // What arrives decides the preview, whatever the type said.
      await page.getByTestId('audio-preview').waitFor({ timeout: 5_000 });
      // The OBS guide and the cover field follow the new type.
      await expect.poll(() => page.getByTestId('obs-steps').textContent(), { timeout: 5_000 }).toContain('Audio Input Capture');
      await page.getByLabel('Cover art URL', { exact: true }).waitFor();
    } finally {
      stopSound();
      await page.context().close();
    }
  });
});

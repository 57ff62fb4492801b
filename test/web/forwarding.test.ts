import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, auditContext } from '../../testkit/axe.js';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { BrowserUser, screenshot, signInWithExtension } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { RtmpReceiver } from '../../testkit/rtmp-receiver.js';
import { freePort } from '../../testkit/server.js';
import { createStream, goLiveWithTestPattern } from '../../testkit/streams.js';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** The card scrolled into view at both sizes: test-results/screenshots/forwarding-card-{desktop,phone}.png. */
async function screenshotCard(page: Page, card: Locator): Promise<void> {
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, `forwarding-card-${size}`);
  }
  await page.setViewportSize(DESKTOP);
}

/**
 * The dashboard's Forwarding card: a destination added through the form shows only its masked
 * key, goes live when our second RTMP server takes the stream, and one with nothing listening
 * shows the failure and the next try, while the stream itself stays live.
 */
describe('forwarding on the dashboard', () => {
  const suite = useBrowserSuite();
  const streamer = new BrowserUser();
  const host = new TestUser(streamer.secret);
  const GOOD_KEY = 'browser-dest-key-a1b2c3d4';
  const NOWHERE_KEY = 'browser-nowhere-key-e5f6';
  let receiver: RtmpReceiver;
  beforeAll(async () => {
    receiver = await RtmpReceiver.start(GOOD_KEY);
  });
  afterAll(() => receiver.close());

  it('adds destinations with masked keys and shows each one live or failed while ours stays live', { timeout: 180_000 }, async () => {
    const stream = await createStream(suite.server, host, { title: 'Restreamed', record: false });
    suite.publisher = await goLiveWithTestPattern(suite.server, host, stream, { seconds: 240, size: '640x360' });

    const page = await (await auditContext(suite.browser, streamer)).newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto(`${suite.server.url}/`);
    await signInWithExtension(page);
    await page.goto(`${suite.server.url}/dashboard/${stream.stream_id}`);
    const card = page.getByTestId('forwarding-card');
    await card.getByText('No destinations yet.').waitFor({ timeout: 20_000 });

    // A platform fills in its server; a URL that is not RTMP is refused before anything is sent.
    await card.getByRole('combobox', { name: 'Platform' }).click();
    await page.getByRole('option', { name: 'YouTube' }).click();
    expect(await card.getByLabel('Destination server URL').inputValue()).toBe('rtmp://a.rtmp.youtube.com/live2');
    await card.getByLabel('Destination server URL').fill('https://example.com/live');
    await card.getByLabel('Destination stream key').fill('whatever-key');
    await card.getByRole('button', { name: 'Add destination' }).click();
    await card.getByText('url must start with rtmp:// or rtmps://').waitFor();

    const add = async (name: string, url: string, key: string) => {
      await card.getByLabel('Destination name').fill(name);
      await card.getByLabel('Destination server URL').fill(url);
      await card.getByLabel('Destination stream key').fill(key);
      await card.getByRole('button', { name: 'Add destination' }).click();
      await card.getByTestId('destination').filter({ hasText: name }).waitFor();
    };
    await add('Second server', receiver.url, GOOD_KEY);
    // The key is not kept in the form once sent.
    expect(await card.getByLabel('Destination stream key').inputValue()).toBe('');
    await add('Nothing there', `rtmp://127.0.0.1:${await freePort()}/live`, NOWHERE_KEY);

    const row = (name: string) => card.getByTestId('destination').filter({ hasText: name });
    expect(await row('Second server').getByTestId('destination-key').textContent()).toBe('••••c3d4');
    expect(await row('Nothing there').getByTestId('destination-key').textContent()).toBe('••••e5f6');
    await expect.poll(() => row('Second server').getByTestId('destination-state').getAttribute('data-state'), { timeout: 60_000 }).toBe('live');
    await expect.poll(() => row('Nothing there').getByTestId('destination-state').getAttribute('data-state'), { timeout: 60_000 }).toMatch(/retrying|failed/);
    expect(await row('Nothing there').getByTestId('destination-reason').textContent()).toMatch(/Connection refused/);
    expect(await row('Second server').getByTestId('destination-state').textContent()).toBe('Live');
    await expect.poll(() => receiver.bytes(), { timeout: 30_000 }).toBeGreaterThan(100_000);

    // Neither key is anywhere on the page, and our own stream is live.
    const html = await page.content();
    expect(html).not.toContain(GOOD_KEY);
    expect(html).not.toContain(NOWHERE_KEY);
    const status = await suite.server.call<{ status: string }>('GET', `/api/v1/streams/${stream.stream_id}/status`);
    expect(status.body.status).toBe('live');

    await screenshotCard(page, card);
    expect(await audit(page, 'forwarding card')).toEqual([]);

    await row('Nothing there').getByRole('button', { name: 'Remove Nothing there' }).click();
    await row('Nothing there').waitFor({ state: 'detached' });
    expect(await card.getByTestId('destination').count()).toBe(1);
  });
});

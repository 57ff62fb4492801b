import { finalizeEvent } from 'nostr-tools/pure';
import { describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { createStream } from '../../testkit/streams.js';
import { BrowserUser, signInWithExtension } from '../../testkit/browser.js';
import { TestUser } from '../../testkit/nostr.js';
import { Relay } from '../../testkit/relay-client.js';

/**
 * What the streamer's screens promise that the journey does not walk through: the header
 * shows the user's kind 0 name, a regenerated key replaces the old one only after a
 * confirmation, a stream with chat off says so, and an ended stream says it has ended (its end card).
 */
describe('streamer controls in the browser', () => {
  const streamer = new BrowserUser();
  const host = new TestUser(streamer.secret);

  const suite = useBrowserSuite();

  it('names the user, regenerates the key behind a confirmation, and shows chat off and the end', { timeout: 60_000 }, async () => {
    const relay = await Relay.connect(suite.server.url.replace('http://', 'ws://'));
    const profile = finalizeEvent(
      { kind: 0, created_at: Math.floor(Date.now() / 1000), tags: [], content: JSON.stringify({ name: 'Studio Sam' }) },
      streamer.secret,
    );
    await relay.publish(profile);
    relay.close();
    const created = await createStream(suite.server, host, { title: 'Quiet room', enable_chat: false, record: false });

    const page = await (await streamer.context(suite.browser)).newPage();
    await page.goto(`${suite.server.url}/`);
    await signInWithExtension(page);
    await expect.poll(() => page.getByRole('link', { name: /Your profile: Studio Sam/ }).count(), { timeout: 10_000 }).toBe(1);

    // The dashboard of a stream created elsewhere has no key to show until it is regenerated.
    await page.goto(`${suite.server.url}/dashboard/${created.stream_id}`);
    await page.getByRole('button', { name: 'Regenerate key' }).click();
    await page.getByRole('dialog').getByText('The current key stops working at once').waitFor();
    await page.getByRole('button', { name: 'Regenerate', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Reveal key' }).click();
    const newKey = await page.getByLabel('Stream key', { exact: true }).inputValue();
    expect(newKey).toMatch(/^wlk_live_[0-9a-f]{32}$/);
    expect(newKey).not.toBe(created.stream_key);
    const auth = (name: string) => suite.server.call('POST', '/api/v1/streams/auth', { json: { name } });
    expect((await auth(newKey)).status).toBe(200);
    expect((await auth(created.stream_key)).status).toBe(403);

    await page.goto(`${suite.server.url}/s/${created.stream_id}`);
    await page.getByText('Chat is turned off for this stream.').first().waitFor();
    expect(await page.getByLabel('Message').count()).toBe(0);

    expect((await suite.server.call('POST', `/api/v1/streams/${created.stream_id}/stop`, { as: host })).status).toBe(200);
    await page.reload();
    await page.getByRole('heading', { name: 'The stream has ended' }).waitFor();
  });
});

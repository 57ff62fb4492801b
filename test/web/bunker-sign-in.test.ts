import { nip19 } from 'nostr-tools';
import { getPublicKey, generateSecretKey } from 'nostr-tools/pure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowserSuite } from '../../testkit/browser-suite.js';
import { signInWithBunker } from '../../testkit/browser.js';
import { TestBunker } from '../../testkit/bunker.js';

/** Signing in through a NIP-46 remote signer: the key stays in the bunker, the app still signs API calls. */
describe('sign-in with a NIP-46 bunker', () => {
  let bunker: TestBunker;
  const userSecret = generateSecretKey();

  const suite = useBrowserSuite();
  beforeAll(async () => {
    bunker = await TestBunker.start(`${suite.server.url.replace('http://', 'ws://')}/`, userSecret);
  });
  afterAll(() => bunker?.close());

  it('connects with a bunker:// URI and creates a stream with NIP-98 signed by the bunker', { timeout: 60_000 }, async () => {
    const page = await (await suite.browser.newContext()).newPage();
    await page.goto(`${suite.server.url}/`);
    await signInWithBunker(page, bunker.uri);
    // A user without a profile is named by the start of their npub.
    expect(await page.locator('header').textContent()).toContain(nip19.npubEncode(getPublicKey(userSecret)).slice(0, 9));

    await page.getByRole('link', { name: 'Go Live', exact: true }).click();
    await page.getByLabel('Title').fill('Signed by a bunker');
    await page.getByLabel('Category').selectOption('talk');
    await page.getByRole('button', { name: 'Create stream' }).click();
    await page.waitForURL(/\/dashboard\//, { timeout: 20_000 });
    expect(bunker.signed.some((template) => template.kind === 27235)).toBe(true);
  });
});

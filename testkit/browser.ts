import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, errors, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { finalizeEvent, generateSecretKey, getPublicKey, type EventTemplate } from 'nostr-tools/pure';

/** Debian's Chromium; playwright-core drives it (no browser download). */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((candidate) => existsSync(candidate));

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

export const DESKTOP_VIEWPORT = { width: 1366, height: 860 };
/** The phone: 375 px wide. */
export const PHONE_VIEWPORT = { width: 375, height: 740 };
/** The sizes issue 18 judges screens at (1440×900, 390×844). */
export const REVIEW_DESKTOP = { width: 1440, height: 900 };
export const REVIEW_PHONE = { width: 390, height: 844 };

/** `<name>-desktop.png` and `<name>-phone.png` at the review sizes, `focus` scrolled into view at each; ends at desktop size. */
export async function screenshotAtReviewSizes(page: Page, name: string, focus?: Locator): Promise<void> {
  for (const [size, viewport] of [['desktop', REVIEW_DESKTOP], ['phone', REVIEW_PHONE]] as const) {
    await page.setViewportSize(viewport);
    await focus?.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(page, `${name}-${size}`);
  }
  await page.setViewportSize(REVIEW_DESKTOP);
}

const CHROMIUM_ARGS = ['--no-sandbox', '--autoplay-policy=no-user-gesture-required', '--mute-audio'];

function chromiumPath(): string {
  if (!CHROMIUM) throw new Error('Chromium is not installed: run `apt-get install -y chromium` (scripts/test-services.sh does it as root).');
  return CHROMIUM;
}

/** `extraArgs`: more Chromium switches, e.g. `--disable-features=WebRtcHideLocalIpsWithMdns` for WebRTC tests. */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * A browser with a profile on disk (`userDataDir`): closing it and opening the same folder again is
 * a browser restart, as a user has one. Session cookies die with it; localStorage and IndexedDB
 * (with the CryptoKeys in it, which a `storageState` copy cannot carry) stay.
 */
export async function launchProfile(userDataDir: string, options: { bypassCSP?: boolean } = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    viewport: DESKTOP_VIEWPORT,
    bypassCSP: options.bypassCSP ?? false,
  });
}

/** A Nostr user in a browser: a NIP-07 `window.nostr` shim whose key stays in the test process. */
export class BrowserUser {
  readonly secret = generateSecretKey();
  readonly pubkey = getPublicKey(this.secret);

  /**
   * `bypassCSP` lets a test inject its own tools (axe) past the service's Content-Security-Policy;
   * `extensionDelayMs` injects `window.nostr` that long after each page load, as a slow extension does.
   */
  async context(
    browser: Browser,
    options: { phone?: boolean; bypassCSP?: boolean; extensionDelayMs?: number } = {},
  ): Promise<BrowserContext> {
    const context = await browser.newContext({
      ...(options.phone
        ? { viewport: PHONE_VIEWPORT, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
        : { viewport: DESKTOP_VIEWPORT }),
      bypassCSP: options.bypassCSP ?? false,
    });
    await context.exposeBinding('__wavlakeSign', (_source, template: EventTemplate) => finalizeEvent(template, this.secret));
    // A string, not a function: the test runner's transpiler would add helpers the page lacks.
    const inject = `window.nostr = {
      getPublicKey: async () => ${JSON.stringify(this.pubkey)},
      signEvent: (template) => window.__wavlakeSign(template),
    };`;
    await context.addInitScript(
      options.extensionDelayMs === undefined ? inject : `setTimeout(() => { ${inject} }, ${options.extensionDelayMs});`,
    );
    return context;
  }
}

/** Signs in through the header's dialog with the context's NIP-07 extension (see BrowserUser). */
export async function signInWithExtension(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign in with extension' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Signs in through the header's dialog with a NIP-46 remote signer's bunker:// URI (see TestBunker). */
export async function signInWithBunker(page: Page, uri: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('tab', { name: 'Remote signer' }).click();
  await page.getByLabel('Bunker URI (NIP-46)').fill(uri);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 20_000 });
}

/** Saves a screenshot under test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/**
 * The same page at desktop and at phone size (`<name>-desktop.png`, `<name>-phone.png`):
 * the viewport is resized in place, so the page keeps its session and state.
 */
export async function screenshotBothSizes(page: Page, name: string): Promise<string[]> {
  const size = page.viewportSize() ?? DESKTOP_VIEWPORT;
  await page.setViewportSize(DESKTOP_VIEWPORT);
  const desktop = await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE_VIEWPORT);
  const phone = await screenshot(page, `${name}-phone`);
  await page.setViewportSize(size);
  return [desktop, phone];
}

/**
 * Where `locator` is on the page, measured again until it is there: a list that refreshes can
 * replace the element between finding it and measuring it (a read-once check then saw nothing).
 */
export async function boxOf(locator: Locator, timeoutMs = 20_000): Promise<{ x: number; y: number; width: number; height: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Only "not there yet" is retried: a locator matching two elements is the test's mistake, said at once.
    const box = await locator.boundingBox({ timeout: Math.max(1, deadline - Date.now()) }).catch((error: unknown) => {
      if (error instanceof errors.TimeoutError) return null;
      throw error;
    });
    if (box) return box;
    if (Date.now() >= deadline) throw new Error(`${String(locator)} is not rendered`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

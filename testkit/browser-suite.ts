import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.js';
import type { PublisherProcess } from './publishers.js';
import type { TestServer, TestServerOptions } from './server.js';
import { started, useTestServer } from './suites.js';

/** What a browser test file shares: the whole service and one Chromium, for all of its tests. */
export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** A test pattern a test pushes; killed when the file is done. */
  publisher: PublisherProcess | undefined;
}

/**
 * Starts the service (on SQLite) and a headless Chromium before the file's tests, and closes
 * them (and the pushed test pattern) after. Call it in the describe block; read its fields
 * inside tests and hooks, once it has started.
 *
 *   const suite = useBrowserSuite();
 *   it('…', async () => { const page = await suite.browser.newPage(); await page.goto(suite.server.url); });
 */
export function useBrowserSuite(options: TestServerOptions & { readonly browserArgs?: readonly string[] } = {}): BrowserSuite {
  const { browserArgs = [], ...serverOptions } = options;
  const service = useTestServer('sqlite', serverOptions);
  let browser: Browser | undefined;
  const suite: BrowserSuite = {
    get server() {
      return service.server;
    },
    get browser() {
      return started(browser, 'browser');
    },
    publisher: undefined,
  };
  beforeAll(async () => {
    browser = await launchBrowser(browserArgs);
  });
  afterAll(async () => {
    suite.publisher?.child.kill('SIGKILL');
    await browser?.close();
  });
  return suite;
}

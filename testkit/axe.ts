import { createRequire } from 'node:module';
import type { AxeResults, RunOptions } from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { BrowserUser } from './browser.js';

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** WCAG 2.0 and 2.1, levels A and AA: the bar the "accessible" is held to. */
const AXE_OPTIONS: RunOptions = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };

/**
 * A desktop context that signs as `user` and ignores the page's Content-Security-Policy. The service allows only its own scripts (`script-src 'self'`),
 * so axe, injected by page.addScriptTag as an inline script, would be refused; the CSP is
 * bypassed here, for this test only, and the app runs the same either way.
 */
export function auditContext(browser: Browser, user: BrowserUser): Promise<BrowserContext> {
  return user.context(browser, { bypassCSP: true });
}

/** Runs axe on the page as it is now, prints every violation, and returns the serious and critical ones. */
export async function audit(page: Page, name: string): Promise<string[]> {
  // Fades and slides still running would be judged half-drawn (a colour contrast seen mid-fade): wait for the finite ones to end.
  await page.evaluate(`Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined)))`);
  await page.addScriptTag({ path: AXE_SCRIPT });
  // A string: the page has the DOM and `axe`, the test's Node types have neither.
  const results = (await page.evaluate(`axe.run(document, ${JSON.stringify(AXE_OPTIONS)})`)) as AxeResults;
  const found = results.violations.map((violation) => ({
    serious: violation.impact === 'serious' || violation.impact === 'critical',
    line: `${name}: ${violation.id} (${violation.impact ?? 'no impact'}) ${violation.help}; ${violation.nodes.length} node(s), e.g. ${violation.nodes
      .slice(0, 3)
      .map((node) => node.target.join(' '))
      .join(' | ')}`,
  }));
  if (found.length > 0) process.stdout.write(`${found.map((violation) => violation.line).join('\n')}\n`);
  return found.filter((violation) => violation.serious).map((violation) => violation.line);
}

/** What a screen reader would announce for the focused element: its role and accessible name (`button "Unmute"`). */
export async function focused(page: Page): Promise<string> {
  const focus = page.locator(':focus');
  if ((await focus.count()) === 0) return '(nothing)';
  // The first line of Playwright's ARIA snapshot is the element itself: `- button "Unmute"`, `- textbox "Message":`.
  const line = (await focus.first().ariaSnapshot()).split('\n')[0] ?? '';
  return line.match(/^- '?(\w+(?: "[^"]*")?)/)?.[1] ?? line;
}

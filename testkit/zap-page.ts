import type { Page } from 'playwright-core';

/** Opens the Zap dialog, picks `sats` (typed), writes the comment and sends. */
export async function zapInPage(page: Page, sats: number, comment: string): Promise<void> {
  await page.getByRole('button', { name: 'Zap', exact: true }).click();
  await page.getByLabel('Amount (sats)').fill(String(sats));
  await page.getByLabel('Comment (optional)').fill(comment);
  await page.getByRole('button', { name: `Zap ${sats} sats` }).click();
}

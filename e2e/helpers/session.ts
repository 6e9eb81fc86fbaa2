/** Signing a browser page in through the sign-in form, as a person would. */
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../test/global-setup.ts';

/** Fills the sign-in form at `<base>/masuk` and submits it, waiting for the page it leads to. */
export async function signInPage(
  page: Page,
  base: string,
  email: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await page.goto(`${base}/masuk`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForNavigation(), page.click('main button[type="submit"]')]);
}

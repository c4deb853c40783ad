import type { Browser } from 'playwright-core';
import { launchChromium, signInAsOperator, watchProblems } from '../support/browser.js';
import { freePort } from '../support/free-port.js';
import { startWebProcess, untilListening, type WebProcess } from '../support/web-process.js';

/**
 * An operator opens the queue dashboard at its documented address in Chromium, logs in with
 * the sign-in form, and sees the queues: no console error (a CSP refusal is
 * one), no failed request, no CSP report. The dashboard runs in a real web process (jest cannot
 * load Bull Board's file server).
 */
describe('the queue dashboard in a real browser', () => {
  let browser: Browser;
  let web: WebProcess;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    web = startWebProcess(port, { LOG_LEVEL: 'info' });
    await untilListening(port);
    base = `http://ecardia.localhost:${port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  it('opens at /admin/queues after signing in and shows the queues', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${base}/admin/queues`);
    // Not signed in yet: the dashboard sends the browser to the sign-in form.
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    await signInAsOperator(page, base, 'development-only-admin-token');
    await page.goto(`${base}/admin/queues`);
    expect(page.url()).toBe(`${base}/admin/queues/`);
    await page.getByText('delivery', { exact: true }).first().waitFor({ timeout: 15_000 });
    await page.getByText('notifications', { exact: true }).first().waitFor();
    // Each queue's card, with its job count, once the dashboard's own calls have answered.
    await page
      .getByText(/^\d+ Jobs?$/)
      .first()
      .waitFor({ timeout: 15_000 });
    await expect(page.locator('body').innerText()).resolves.not.toContain('Loading');
    // A queue's own page: the dashboard's routes and API calls below the base path.
    await page.getByText('delivery', { exact: true }).first().click();
    await page.waitForURL(/\/admin\/queues\/queue\/delivery/);
    await page.waitForLoadState('networkidle');
    await context.close();
    expect(problems).toEqual([]);
    expect(web.output()).not.toContain('csp-violation');
  }, 60_000);
});

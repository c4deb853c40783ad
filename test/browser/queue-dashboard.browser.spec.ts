import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../support/free-port.js';
import { startWebProcess, untilListening, type WebProcess } from '../support/web-process.js';

/**
 * An operator opens the queue dashboard at its documented address in Chromium, logs in with
 * the browser's own Basic prompt, and sees the queues: no console error (a CSP refusal is
 * one), no failed request, no CSP report. The dashboard runs in a real web process (jest cannot
 * load Bull Board's file server). `*.localhost` is a secure context, so the browser sends its
 * Fetch Metadata and uses the Reporting API, as over HTTPS.
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
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--host-resolver-rules=MAP * 127.0.0.1',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
  });

  /** Everything that went wrong on the page, as a person's developer tools would show it. */
  function watch(page: Page): string[] {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
    });
    return problems;
  }

  it('opens at /admin/queues with the admin login and shows the queues', async () => {
    const context = await browser.newContext({
      httpCredentials: { username: 'ops', password: 'development-only-admin-token' },
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${base}/admin/queues`);
    expect(page.url()).toBe(`${base}/admin/queues/`);
    await page.getByText('delivery', { exact: true }).first().waitFor({ timeout: 15_000 });
    await page.getByText('notifications', { exact: true }).first().waitFor();
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

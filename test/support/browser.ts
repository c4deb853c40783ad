import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

/**
 * `CHROMIUM_PATH`, else Debian's headless shell, else its full `chromium`. The shell is the same
 * Blink without the full browser's profile services, UI renderers and GPU process: the browser
 * tests took about a quarter less time on it (docs/testing.md).
 */
export function chromiumPath(): string {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) return chosen;
  return existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium';
}

/**
 * Headless Chromium that reaches every site's real host name on loopback. `*.localhost` hosts
 * are secure contexts, where the browser sends Fetch Metadata and uses the Reporting API as it
 * does over HTTPS; the `.example` hosts are plain HTTP, where it does neither.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // The sites' real host names, answered by the server on loopback.
      '--host-resolver-rules=MAP * 127.0.0.1',
    ],
  });
}

/**
 * A console line that repeats what is reported below with its URL: an error answer, which a
 * test may expect (a 404 page) and checks by its status instead.
 */
const NOT_THE_PAGE = [/^Failed to load resource: the server responded with a status of /];

/**
 * Everything that goes wrong on a page as a person's developer tools would show it: console
 * errors (a CSP refusal is one), script errors, failed requests, error answers.
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error' || NOT_THE_PAGE.some((p) => p.test(m.text()))) return;
    problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
  });
  return problems;
}

/** Signs a browser in to the admin pages as an operator does: the sign-in form, then its button. */
export async function signInAsOperator(page: Page, origin: string, token: string): Promise<void> {
  await page.goto(`${origin}/admin/sign-in`);
  await page.fill('#admin-token', token);
  await page.click('#admin-sign-in-submit');
  await page.waitForURL((url) => !url.pathname.startsWith('/admin/sign-in'));
}

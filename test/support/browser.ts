import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Headless Chromium that reaches every site's real host name on loopback. `*.localhost` hosts
 * are secure contexts, where the browser sends Fetch Metadata and uses the Reporting API as it
 * does over HTTPS; the `.example` hosts are plain HTTP, where it does neither.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
 * Console errors that say nothing about the page: the browser's own favicon lookup (Playwright
 * does not show that request, and every other failed load is reported below with its URL), and
 * Chromium ignoring Cross-Origin-Opener-Policy on a plain-HTTP test host (production is HTTPS).
 */
const NOT_THE_PAGE = [
  /^Failed to load resource: /,
  /^The Cross-Origin-Opener-Policy header has been ignored, because the URL's origin was untrustworthy/,
];

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

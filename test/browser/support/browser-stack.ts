import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AppConfig } from '../../../src/config/app-config.js';
import { createWebApp } from '../../../src/web-app.js';
import { dropIsolatedEnv, isolatedEnv } from '../../delivery/support/isolated-env.js';
import { TEST_GENERATED_CARDS } from '../../support/test-catalog.js';
import { type SmtpSink, startSmtpSink } from '../../delivery/support/smtp-sink.js';
import { startWorker, type WorkerProcess } from '../../delivery/support/worker-process.js';
import { launchChromium } from '../../support/browser.js';
import { freePort } from '../../support/free-port.js';
import { HOSTS, testConfig } from '../../support/test-app.js';

export const ARTIFACTS = join(process.cwd(), 'test', 'artifacts', 'browser');

/** The sites whose templates differ: the flagship and each partner's overrides. */
export const SITES = [
  { id: 'ecardia', host: HOSTS.flagship, brand: 'Ecardia' },
  { id: 'kindred', host: HOSTS.partner, brand: 'Kindred Paper Co.' },
  { id: 'merrypost', host: HOSTS.uk, brand: 'Merry Post' },
] as const;
export type SiteUnderTest = (typeof SITES)[number];

/**
 * A desktop window and a 390-pixel phone, each a person's real screen. The phone's owner has
 * asked for reduced motion, so both ways of opening a card are walked.
 */
export const SCREENS = [
  {
    name: 'desktop',
    viewport: { width: 1280, height: 900 },
    isMobile: false,
    reducedMotion: 'no-preference',
  },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, reducedMotion: 'reduce' },
] as const;
export type Screen = (typeof SCREENS)[number];

/**
 * Each site once, the screens taking turns (the flagship and the second partner on a desktop,
 * the first partner on a phone): for a flow a person walks through, every site's templates and
 * both widths and motion preferences are met, at half the cost of every combination. The
 * accessibility spec still checks every page at every site and screen.
 */
export const SITE_TOURS = SITES.map((site, i) => {
  const screen = SCREENS[i % 2] as Screen;
  return { site, screen, label: `${site.id} on ${screen.name}` };
});

export interface BrowserStack {
  port: number;
  /** The web app's configuration (its database and queue prefix), for in-process commands. */
  config: AppConfig;
  sink: SmtpSink;
  browser: Browser;
  /** The site's own origin as a person's browser reaches it (its real host name, mapped to loopback). */
  origin(site: SiteUnderTest): string;
  /** A fresh browser context (own cookies) with a page whose problems are being watched. */
  open(screen: Screen): Promise<WatchedPage>;
  stop(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** What went wrong so far: console errors, page errors, failed requests, CSP reports. */
  problems: string[];
  /** Fails the test if anything went wrong; statuses in `expected` are what the test asked for. */
  assertClean(expected?: { statuses?: number[] }): void;
  close(): Promise<void>;
}

/**
 * What a person's browser talks to: the web app on loopback with its public port set to the
 * real one (so every link it prints opens), a worker delivering to a real SMTP server, and
 * headless Chromium that resolves the sites' real host names to loopback.
 */
export async function startBrowserStack(
  name: string,
  extraEnv: Record<string, string> = {},
): Promise<BrowserStack> {
  // Senders' photos of this stack's cards, apart from every other run's and the development data.
  const photos = mkdtempSync(join(tmpdir(), `${name}-photos-`));
  // The run's catalog, so listings run to several pages as a real site's do.
  const catalog = { generatedCards: TEST_GENERATED_CARDS };
  const env = { ...(await isolatedEnv(name, catalog)), SENDER_PHOTO_DIR: photos, ...extraEnv };
  const sink = await startSmtpSink();
  const port = await freePort();
  const shared = {
    ...env,
    SMTP_URL: sink.url,
    PORT: String(port),
    PUBLIC_PORT: String(port),
  };
  const config = testConfig(shared);
  const app: NestFastifyApplication = await createWebApp(config);
  await app.listen({ port, host: '127.0.0.1' });
  const worker: WorkerProcess = await startWorker(shared);
  const browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    port,
    config,
    sink,
    browser,
    origin: (site) => `http://${site.host}:${port}`,
    open: (screen) => openWatched(browser, screen),
    stop: async () => {
      await browser.close();
      worker.kill('SIGTERM');
      await worker.exited;
      await app.close();
      await sink.close();
      await dropIsolatedEnv(env);
      rmSync(photos, { recursive: true, force: true });
    },
  };
}

async function openWatched(browser: Browser, screen: Screen): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: screen.viewport,
    isMobile: screen.isMobile,
    hasTouch: screen.isMobile,
    reducedMotion: screen.reducedMotion,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const statuses: { status: number; url: string }[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A load the page's own navigation cancelled (an image still arriving when a link is
    // followed) is not a failure a person sees.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? '?'})`);
  });
  page.on('request', (request) => {
    // The browser reports a violated policy to the platform's own endpoint.
    if (new URL(request.url()).pathname.startsWith('/csp-report')) {
      problems.push(`CSP report: ${request.postData() ?? ''}`);
    }
  });
  page.on('response', (response) => {
    if (response.status() >= 400) statuses.push({ status: response.status(), url: response.url() });
  });
  return {
    page,
    context,
    problems,
    assertClean(expected = {}) {
      const allowed = new Set(expected.statuses ?? []);
      const unexpected = statuses
        .filter((s) => !allowed.has(s.status))
        .map((s) => `HTTP ${s.status}: ${s.url}`);
      // A status the test asked for still shows as a console error in Chromium.
      const others = problems.filter(
        (p) => !(allowed.size > 0 && /Failed to load resource: the server responded/.test(p)),
      );
      expect([...unexpected, ...others]).toEqual([]);
    },
    close: () => context.close(),
  };
}

/** Saves a full-page screenshot under test/artifacts/browser for a person to look at. */
export async function snapshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

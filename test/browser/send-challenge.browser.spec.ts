import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import { createWebApp } from '../../src/web-app.js';
import { CHALLENGE_QUESTIONS } from '../../src/security/challenge-questions.js';
import { greetingsOf } from '../security/support.js';
import { launchChromium } from '../support/browser.js';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { freePort } from '../support/free-port.js';
import { testConfig } from '../support/test-app.js';

const ARTIFACTS = join(process.cwd(), 'test', 'artifacts', 'browser');

/**
 * A person on a connection that must meet the challenge (every attempt here does): with
 * JavaScript the browser does the proof-of-work in the background and the card goes at the
 * first press; without it, the form comes back with a question, and the answer sends it.
 * Neither way shows a console error, a refused request or a CSP report.
 */
describe('a person sends a card while their connection must meet the challenge', () => {
  let app: NestFastifyApplication;
  let browser: Browser;
  let db: DataSource;
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    app = await createWebApp(
      testConfig({
        PORT: String(port),
        QUEUE_PREFIX: `send-challenge-${randomBytes(4).toString('hex')}`,
        COMPOSE_MIN_FILL_SECONDS: '0',
        COMPOSE_CHALLENGE_AFTER: '0',
      }),
    );
    await app.listen({ port, host: '127.0.0.1' });
    origin = `http://kindred.localhost:${port}`;
    db = await openTestDb();
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await db?.destroy();
    await app?.close();
  });

  /** Problems a person's developer tools would show; a refused form's own 400 is its answer. */
  function watch(context: BrowserContext, page: Page): string[] {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
        problems.push(`console: ${m.text()}`);
      }
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400 && r.request().resourceType() !== 'document') {
        problems.push(`${r.status()}: ${r.url()}`);
      }
    });
    context.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/csp-report')) {
        problems.push(`CSP report: ${r.postData() ?? ''}`);
      }
    });
    return problems;
  }

  async function fillCard(page: Page, sender: string): Promise<void> {
    await page.goto(`${origin}/`);
    await page.locator('a[href^="/cards/"]').first().click();
    await page.locator('a[href$="/send"]').first().click();
    await page.fill('#senderName', 'Ann Example');
    await page.fill('#senderEmail', sender);
    await page.fill('#recipients-0-name', 'Bob');
    await page.fill('#recipients-0-email', uniqueEmail('bob'));
    await page.fill('#message', 'Happy birthday, Bob!');
  }

  const send = (page: Page) => page.getByRole('button', { name: 'Send card' }).last().click();

  it('with JavaScript: the browser does the work and the card goes at the first press', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = watch(context, page);
    const sender = uniqueEmail('ann-js');
    await fillCard(page, sender);
    // The challenge's body is read as soon as it arrives: once the proof is found the page
    // navigates, and a response of a page navigated away from keeps no body to read.
    const asked = page
      .waitForResponse((r) => new URL(r.url()).pathname === '/send-challenge')
      .then((r) => r.json());
    const posted = page.waitForRequest((r) => r.method() === 'POST');
    await send(page);
    expect(await asked).toMatchObject({ required: true });
    const challengedAt = Date.now();
    // The compose form posts as multipart/form-data (it can carry a photo).
    const body = (await posted).postData() ?? '';
    const altcha = /name="altcha"\r\n\r\n([^\r]*)\r\n/.exec(body)?.[1] ?? '';
    const workedMs = Date.now() - challengedAt;
    const proof = JSON.parse(Buffer.from(altcha, 'base64').toString()) as {
      solution: { counter: number };
    };
    expect(proof.solution.counter).toBeGreaterThan(0);
    // For docs/security.md: what the work costs a person, as this machine's Chromium did it.
    console.log(
      `proof-of-work: Chromium worked and posted in ${workedMs} ms (counter ${proof.solution.counter})`,
    );
    await page.waitForURL(/\/sent\//, { timeout: 30_000 });
    expect(await greetingsOf(db, sender)).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'send-challenge-js.png'), fullPage: true });
    await context.close();
    expect(problems).toEqual([]);
  }, 60_000);

  it('without JavaScript: the form comes back with a question, and the answer sends it', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    const problems = watch(context, page);
    const sender = uniqueEmail('ann-nojs');
    await fillCard(page, sender);
    await send(page);
    await expect(page.locator('#form-refusal').innerText()).resolves.toContain(
      'Please answer the question below',
    );
    expect(await greetingsOf(db, sender)).toBe(0);
    const question = (await page.locator('label[for="challengeAnswer"]').innerText()).trim();
    const asked = CHALLENGE_QUESTIONS.find((q) => q.text === question);
    expect(asked).toBeDefined();
    expect(question).not.toMatch(/\bplus\b|\bminus\b|\d/i);
    await page.screenshot({ path: join(ARTIFACTS, 'send-challenge-question.png'), fullPage: true });
    await page.fill('#challengeAnswer', asked?.answers[0] ?? '');
    await send(page);
    await page.waitForURL(/\/sent\//);
    expect(await greetingsOf(db, sender)).toBe(1);
    await context.close();
    expect(problems).toEqual([]);
  }, 60_000);
});

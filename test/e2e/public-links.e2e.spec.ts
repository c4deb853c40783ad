import { randomBytes } from 'node:crypto';
import { encodeForm } from '../support/compose-form.js';
import { uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';
import { agedFormFields, apiGreeting, composeFields, FORM } from '../security/support.js';

const canonicalTag = (html: string) => /<link rel="canonical" href="([^"]+)">/.exec(html)?.[1];

/**
 * Every link the platform prints, in development (the stage `npm start` runs) and in the stages
 * whose links reach people. Both apps share the test run's database and Redis, page tier
 * included, so a page cached by one must never reach the other with its links.
 */
describe('absolute links by stage', () => {
  let dev: TestApp;
  let test: TestApp;
  let card: string;

  beforeAll(async () => {
    dev = await startTestApp({
      APP_STAGE: 'development',
      // Counters of its own: the development limits are real limits, on a shared Redis.
      QUEUE_PREFIX: `dev-${randomBytes(5).toString('hex')}`,
    });
    test = await startTestApp();
    card = await firstCardSlug(test, HOSTS.partner, 'birthday');
  });
  afterAll(async () => {
    await dev.close();
    await test.close();
  });

  const send = (app: TestApp, body: object) =>
    app.request({ method: 'POST', url: '/api/greetings', host: HOSTS.partner, payload: body });

  it('development answers with pickup and manage links on kindred.localhost, which open there', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const res = await send(dev, { ...apiGreeting(card), sendAt: `${year}-02-01T09:00` });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ manageUrl: string; recipients: { pickupUrl: string }[] }>();
    const pickup = body.recipients[0]?.pickupUrl ?? '';
    expect(pickup).toMatch(/^http:\/\/kindred\.localhost:8080\/p\/[A-Za-z0-9_-]{44}$/);
    expect(body.manageUrl).toMatch(/^http:\/\/kindred\.localhost:8080\/manage\//);
    const url = new URL(pickup);
    const opened = await dev.request({ method: 'GET', url: url.pathname, host: url.host });
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('Kindred Paper Co.');
  });

  it('other stages keep the canonical host', async () => {
    const res = await send(test, apiGreeting(card));
    expect(res.statusCode).toBe(201);
    const pickup = res.json<{ recipients: { pickupUrl: string }[] }>().recipients[0]?.pickupUrl;
    expect(pickup).toMatch(/^http:\/\/cards\.kindredpaper\.example:8080\/p\//);
  });

  it('the confirmation page links each card on the local name in development', async () => {
    const sent = await dev.request({
      method: 'POST',
      url: `/cards/${card}/send`,
      host: 'kindred.localhost:8080',
      headers: { ...FORM, origin: 'http://kindred.localhost:8080' },
      payload: encodeForm(composeFields(uniqueEmail('ann'), agedFormFields(dev, 'kindred'))),
    });
    expect(sent.statusCode).toBe(303);
    const page = await dev.request({
      method: 'GET',
      url: String(sent.headers.location),
      host: 'kindred.localhost:8080',
    });
    expect(page.body).toMatch(/class="pickup-link" href="http:\/\/kindred\.localhost:8080\/p\//);
  });

  it('canonical tags follow the stage, whichever app cached the page first', async () => {
    for (const path of ['/', '/occasions/birthday']) {
      for (const [app, origin] of [
        [dev, 'http://kindred.localhost:8080'],
        [test, 'http://cards.kindredpaper.example:8080'],
        [dev, 'http://kindred.localhost:8080'],
      ] as const) {
        const res = await app.request({ method: 'GET', url: path, host: HOSTS.partner });
        expect(res.statusCode).toBe(200);
        expect(canonicalTag(res.body)).toBe(`${origin}${path}`);
      }
    }
  });

  it('development lets a developer send a fourth and fifth card in an hour from the form', async () => {
    expect(dev.config.security.limitProfile).toBe('development');
    const sender = uniqueEmail('dev');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await dev.request({
        method: 'POST',
        url: `/cards/${card}/send`,
        host: 'kindred.localhost:8080',
        headers: FORM,
        payload: encodeForm(composeFields(sender, agedFormFields(dev, 'kindred'))),
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([303, 303, 303, 303, 303]);
  });
});

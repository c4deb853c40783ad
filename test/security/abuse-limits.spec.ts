import { randomBytes } from 'node:crypto';
import { CHALLENGE_QUESTIONS } from '../../src/security/challenge-questions.js';
import type { DataSource } from 'typeorm';
import { DEFAULT_ABUSE_LIMITS } from '../../src/config/security-config.js';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import {
  agedFormFields,
  apiGreeting,
  composeFields,
  greetingsOf,
  postForm,
  startDefendedApp,
} from './support.js';

const KEY_SECRET = randomBytes(24).toString('base64url');

describe('attack: flooding the send form and API, guessing private links', () => {
  let t: TestApp;
  let db: DataSource;
  let card: string;
  let ip = 0;
  const client = () => ({ 'x-forwarded-for': `203.0.113.${++ip}` });

  beforeAll(async () => {
    t = await startDefendedApp({ TRUST_PROXY: 'loopback', API_KEYS: `loadtest=${KEY_SECRET}` });
    db = await openTestDb();
    card = await firstCardSlug(t, HOSTS.flagship, 'birthday');
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  const api = (body: object, headers: Record<string, string>) =>
    t.request({
      method: 'POST',
      url: '/api/greetings',
      host: HOSTS.flagship,
      headers,
      payload: body,
    });

  it('has the documented defaults: 3 sends and 30 recipients per IP and hour', () => {
    expect(DEFAULT_ABUSE_LIMITS.ipSendsPerHour).toBe(3);
    expect(DEFAULT_ABUSE_LIMITS.ipRecipientsPerHour).toBe(30);
    expect(t.config.security.limits).toEqual(DEFAULT_ABUSE_LIMITS);
  });

  it('refuses the fourth send from one IP in an hour with 429, writing nothing', async () => {
    const from = client();
    const senders = [1, 2, 3, 4].map(() => uniqueEmail('flood'));
    const statuses: number[] = [];
    for (const sender of senders)
      statuses.push((await api(apiGreeting(card, sender), from)).statusCode);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await api(apiGreeting(card), from);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json<{ status: number }>().status).toBe(429);
    expect(await greetingsOf(db, senders[3] as string)).toBe(0);
  });

  it('counts recipients per IP, all or nothing', async () => {
    // With the defaults, three sends of a site's ten recipients fit in 30; a tighter budget
    // shows the recipient count working on its own, and a refused send counting nothing.
    const tight = await startDefendedApp({ RATE_LIMIT_IP_RECIPIENTS_PER_HOUR: '25' });
    try {
      const post = (n: number, sender = uniqueEmail('r')) =>
        tight.request({
          method: 'POST',
          url: '/api/greetings',
          host: HOSTS.flagship,
          payload: apiGreeting(card, sender, n),
        });
      expect((await post(10)).statusCode).toBe(201);
      expect((await post(10)).statusCode).toBe(201);
      const sender = uniqueEmail('r');
      expect((await post(10, sender)).statusCode).toBe(429);
      expect(await greetingsOf(db, sender)).toBe(0);
      expect((await post(5)).statusCode).toBe(201);
    } finally {
      await tight.close();
    }
  });

  it('limits one sender address across many IPs', async () => {
    const sender = uniqueEmail('botnet');
    const statuses: number[] = [];
    for (let i = 0; i < DEFAULT_ABUSE_LIMITS.senderSendsPerHour + 1; i++) {
      statuses.push((await api(apiGreeting(card, sender), client())).statusCode);
    }
    expect(statuses.slice(0, -1).every((s) => s === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(await greetingsOf(db, sender)).toBe(DEFAULT_ABUSE_LIMITS.senderSendsPerHour);
  });

  it('X-Forwarded-For from an untrusted peer does not reset the per-IP count', async () => {
    const untrusted = await startDefendedApp();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await untrusted.request({
          method: 'POST',
          url: '/api/greetings',
          host: HOSTS.flagship,
          headers: { 'x-forwarded-for': `192.0.2.${i}` },
          payload: apiGreeting(card),
        });
        statuses.push(res.statusCode);
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
    } finally {
      await untrusted.close();
    }
  });

  it('a valid API key gets its own, higher limit; the public limits do not apply', async () => {
    const from = { ...client(), 'x-api-key': KEY_SECRET };
    const sender = uniqueEmail('partner');
    for (let i = 0; i < 8; i++) {
      expect((await api(apiGreeting(card, sender, 10), from)).statusCode).toBe(201);
    }
    expect(await greetingsOf(db, sender)).toBe(8);
  });

  it('an invalid API key is a 401 problem and writes nothing', async () => {
    const sender = uniqueEmail('badkey');
    const res = await api(apiGreeting(card, sender), {
      ...client(),
      'x-api-key': `${KEY_SECRET}x`,
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await greetingsOf(db, sender)).toBe(0);
  });

  it('the form shows a clear message with Retry-After once the IP limit is spent', async () => {
    const from = client();
    for (let i = 0; i < 3; i++) {
      const ok = await postForm(
        t,
        HOSTS.flagship,
        card,
        composeFields(uniqueEmail('f'), agedFormFields(t, 'ecardia')),
        from,
      );
      expect(ok.statusCode).toBe(303);
    }
    const sender = uniqueEmail('f');
    const res = await postForm(
      t,
      HOSTS.flagship,
      card,
      composeFields(sender, agedFormFields(t, 'ecardia')),
      from,
    );
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // A notice of its own: no field is at fault, so nothing is listed as one to check.
    const notice = /<div class="form-refusal"[^]*?<\/div>/.exec(res.body)?.[0] ?? '';
    expect(notice).toMatch(
      /You have sent 3 cards from your connection in the last hour, the most we allow\. You can send again at \d{1,2}:\d{2}/,
    );
    expect(res.body).not.toContain('error-summary');
    expect(res.body).not.toContain('aria-invalid');
    expect(res.body).toContain(`value="${sender}"`);
    expect(await greetingsOf(db, sender)).toBe(0);
  });

  it('asks a challenge question when attempts spike, and sends once it is answered', async () => {
    const from = client();
    const bad = composeFields('not-an-email', agedFormFields(t, 'ecardia'));
    for (let i = 0; i < DEFAULT_ABUSE_LIMITS.composeChallengeAfter; i++) {
      expect((await postForm(t, HOSTS.flagship, card, bad, from)).statusCode).toBe(400);
    }
    // Fields first: a form with a mistake gets its field errors, not a question.
    const typo = await postForm(t, HOSTS.flagship, card, bad, from);
    expect(typo.statusCode).toBe(400);
    expect(typo.body).toContain('error-summary');
    expect(typo.body).not.toContain('name="challengeToken"');
    const sender = uniqueEmail('human');
    const fields = composeFields(sender, agedFormFields(t, 'ecardia'));
    const asked = await postForm(t, HOSTS.flagship, card, fields, from);
    expect(asked.statusCode).toBe(400);
    const question = CHALLENGE_QUESTIONS.find((q) => asked.body.includes(escapeHtml(q.text)));
    expect(question).toBeDefined();
    expect(asked.body).toContain('class="form-refusal"');
    expect(asked.body).not.toContain('error-summary');
    expect(await greetingsOf(db, sender)).toBe(0);

    const answer = question?.answers[0] ?? '';
    const challengeToken = /name="challengeToken" value="([^"]+)"/.exec(asked.body)?.[1] ?? '';
    const wrong = await postForm(
      t,
      HOSTS.flagship,
      card,
      [...fields, ['challengeToken', challengeToken], ['challengeAnswer', `${answer}-not`]],
      from,
    );
    expect(wrong.statusCode).toBe(400);
    const right = await postForm(
      t,
      HOSTS.flagship,
      card,
      [...fields, ['challengeToken', challengeToken], ['challengeAnswer', answer.toUpperCase()]],
      from,
    );
    expect(right.statusCode).toBe(303);
    expect(await greetingsOf(db, sender)).toBe(1);
  });

  it('stops a client guessing pickup tokens, valid links included, after the allowance', async () => {
    const from = client();
    const sent = await api(apiGreeting(card), from);
    const path = new URL(
      sent.json<{ recipients: { pickupUrl: string }[] }>().recipients[0]?.pickupUrl ?? '',
    ).pathname;
    const statuses: number[] = [];
    for (let i = 0; i < DEFAULT_ABUSE_LIMITS.pickupMissesPerHour + 2; i++) {
      const guess = `/p/${randomBytes(33).toString('base64url')}`;
      statuses.push(
        (await t.request({ method: 'GET', url: guess, host: HOSTS.flagship, headers: from }))
          .statusCode,
      );
    }
    expect(statuses.filter((s) => s === 404)).toHaveLength(
      DEFAULT_ABUSE_LIMITS.pickupMissesPerHour,
    );
    expect(statuses.at(-1)).toBe(429);
    const real = await t.request({ method: 'GET', url: path, host: HOSTS.flagship, headers: from });
    expect(real.statusCode).toBe(429);
    const someoneElse = await t.request({
      method: 'GET',
      url: path,
      host: HOSTS.flagship,
      headers: client(),
    });
    expect(someoneElse.statusCode).toBe(200);
  });

  it('keeps limiting on its own when Redis is unreachable', async () => {
    const cut = await startDefendedApp({ REDIS_URL: 'redis://127.0.0.1:1/0' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await cut.request({
          method: 'POST',
          url: '/api/greetings',
          host: HOSTS.flagship,
          payload: apiGreeting(card),
        });
        statuses.push(res.statusCode);
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
    } finally {
      await cut.close();
    }
  }, 30_000);

  it('enforces a per-site daily budget', async () => {
    const tight = await startDefendedApp({
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_SITE_SENDS_PER_DAY: '2',
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await tight.request({
          method: 'POST',
          url: '/api/greetings',
          host: HOSTS.flagship,
          headers: client(),
          payload: apiGreeting(card),
        });
        statuses.push(res.statusCode);
      }
      expect(statuses).toEqual([201, 201, 429]);
    } finally {
      await tight.close();
    }
  });
});

/** The page shows a question as nunjucks escapes it. */
function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

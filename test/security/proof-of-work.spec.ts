import type { Challenge } from 'altcha-lib';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import type { DataSource } from 'typeorm';
import { ProofOfWork } from '../../src/security/proof-of-work.js';
import { openTestDb, uniqueEmail } from '../support/db.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import {
  agedFormFields,
  composeFields,
  greetingsOf,
  postForm,
  startDefendedApp,
} from './support.js';

interface Payload {
  challenge: Challenge;
  solution: { counter: number; derivedKey: string };
}

const encode = (payload: Payload) => Buffer.from(JSON.stringify(payload)).toString('base64');

/**
 * A client whose compose attempts spiked must show work before a card goes: a solution to a
 * fresh, signed, unexpired challenge of this site, used once. Every other post is refused with
 * its reason and the question for those without JavaScript, and writes nothing.
 */
describe('attack: sending past the proof-of-work without doing the work', () => {
  let t: TestApp;
  let db: DataSource;
  let card: string;
  let ip = 0;
  const client = () => ({ 'x-forwarded-for': `198.51.100.${++ip}` });

  beforeAll(async () => {
    t = await startDefendedApp({ TRUST_PROXY: 'loopback', COMPOSE_CHALLENGE_AFTER: '1' });
    db = await openTestDb();
    card = await firstCardSlug(t, HOSTS.flagship, 'birthday');
  });
  afterAll(async () => {
    await db.destroy();
    await t.close();
  });

  async function challengeFor(host: string, from: Record<string, string>): Promise<Challenge> {
    const res = await t.request({ method: 'GET', url: '/send-challenge', host, headers: from });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const answer = res.json<{ required: boolean; challenge: Challenge }>();
    expect(answer.required).toBe(true);
    return answer.challenge;
  }

  /** Solves as a bot would, with Node's native PBKDF2; what it costs is printed once. */
  let printed = false;
  async function solved(challenge: Challenge): Promise<Payload> {
    const solution = await solveChallenge({ challenge, deriveKey });
    if (!solution) throw new Error('the challenge could not be solved');
    if (!printed) {
      printed = true;
      console.log(
        `proof-of-work: solved in Node in ${solution.time} ms (counter ${solution.counter})`,
      );
    }
    return { challenge, solution };
  }

  /** Posts a valid card with this solution field; returns the response and its sender. */
  async function send(from: Record<string, string>, altcha: string | null) {
    const sender = uniqueEmail('pow');
    const extra: [string, string][] = altcha === null ? [] : [['altcha', altcha]];
    const fields = composeFields(sender, [...agedFormFields(t, 'ecardia'), ...extra]);
    return { res: await postForm(t, HOSTS.flagship, card, fields, from), sender };
  }

  const notice = (body: string) =>
    /<p class="form-refusal-text">([^<]*)<\/p>/.exec(body)?.[1]?.replace(/&#39;/g, "'") ?? '';

  /** A new client past the one attempt the app allows before the challenge. */
  async function spikedClient(): Promise<Record<string, string>> {
    const from = client();
    const typo = composeFields('not-an-email', agedFormFields(t, 'ecardia'));
    expect((await postForm(t, HOSTS.flagship, card, typo, from)).statusCode).toBe(400);
    return from;
  }

  it('asks work only of a client whose attempts spiked', async () => {
    const from = client();
    const calm = await t.request({
      method: 'GET',
      url: '/send-challenge',
      host: HOSTS.flagship,
      headers: from,
    });
    expect(calm.json()).toEqual({ required: false });
    expect(calm.headers['cache-control']).toBe('private, no-store');
    const typo = composeFields('not-an-email', agedFormFields(t, 'ecardia'));
    await postForm(t, HOSTS.flagship, card, typo, from);
    const challenge = await challengeFor(HOSTS.flagship, from);
    expect(challenge.parameters.data).toEqual({ site: 'ecardia' });
    expect(challenge.parameters.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it('sends with a valid solution, and refuses the same solution a second time', async () => {
    const from = await spikedClient();
    const without = await send(from, null);
    expect(without.res.statusCode).toBe(400);
    expect(without.res.body).toContain('name="challengeToken"');
    expect(notice(without.res.body)).toContain('Please answer the question below');
    expect(await greetingsOf(db, without.sender)).toBe(0);

    const payload = encode(await solved(await challengeFor(HOSTS.flagship, from)));
    const first = await send(from, payload);
    expect(first.res.statusCode).toBe(303);
    expect(await greetingsOf(db, first.sender)).toBe(1);

    const replay = await send(await spikedClient(), payload);
    expect(replay.res.statusCode).toBe(400);
    expect(notice(replay.res.body)).toContain('That check was already used for another card');
    expect(replay.res.body).toContain('name="challengeToken"');
    expect(await greetingsOf(db, replay.sender)).toBe(0);
  });

  it('refuses forged, tampered, foreign and expired solutions, writing nothing', async () => {
    const from = await spikedClient();
    const good = await solved(await challengeFor(HOSTS.flagship, from));
    const otherSite = await solved(await challengeFor(HOSTS.partner, from));
    const expired = await solved(
      await t.app.get(ProofOfWork).challenge('ecardia', Date.now() - 3_600_000),
    );
    const wrongKey = { ...good, solution: { ...good.solution, derivedKey: 'ab'.repeat(32) } };
    const cheaper = {
      ...good,
      challenge: { ...good.challenge, parameters: { ...good.challenge.parameters, cost: 1 } },
    };
    const unsigned = { ...good, challenge: { parameters: good.challenge.parameters } };
    const cases: [string, string, string][] = [
      ['a wrong key', encode(wrongKey), 'could not be verified'],
      ['cheaper parameters', encode(cheaper), 'could not be verified'],
      ['no signature', encode(unsigned), 'could not be verified'],
      ["another site's challenge", encode(otherSite), 'could not be verified'],
      ['an expired challenge', encode(expired), 'has expired'],
      ['junk', 'bm90IGpzb24=', 'could not be verified'],
      ['an oversized field', 'A'.repeat(10_000), 'could not be verified'],
    ];
    for (const [name, altcha, message] of cases) {
      const { res, sender } = await send(from, altcha);
      expect([name, res.statusCode, notice(res.body)]).toEqual([
        name,
        400,
        expect.stringContaining(message),
      ]);
      expect(await greetingsOf(db, sender)).toBe(0);
    }
    // The genuine one was not used up by the forgeries made from it.
    expect((await send(from, encode(good))).res.statusCode).toBe(303);
  });
});

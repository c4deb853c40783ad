import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { PageKeys } from '../../src/platform/cache/cache-keys.js';
import { AccountClient } from '../support/account-client.js';
import { uniqueEmail } from '../support/db.js';
import { aMember, signUpFields } from '../support/factories.js';
import { keysMatching } from '../support/redis-keys.js';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';
import { closeConnection } from '../../src/platform/redis/close-connection.js';

/**
 * A signed-in member browses the same shared cached pages as everyone: the session cookie
 * neither bypasses the page cache nor makes a variant of it, and nothing of the member reaches
 * a stored page. The personal part comes from /account/me, never cached.
 */
describe('cached pages for signed-in members', () => {
  let t: TestApp;
  let member: AccountClient;
  let anonymous: AccountClient;
  let cache: Redis;
  const quillon = aMember({
    displayName: `Quillon ${randomUUID().slice(0, 8)}`,
    email: uniqueEmail('quillon'),
  });
  const { displayName: name, email } = quillon;
  let card: string;

  beforeAll(async () => {
    t = await startTestApp({ APP_VERSION: `test-${randomUUID()}`, TRUST_PROXY: 'loopback' });
    cache = new Redis(t.config.redisCacheUrl, { maxRetriesPerRequest: 1 });
    card = await firstCardSlug(t, HOSTS.flagship, 'birthday');
    member = new AccountClient(t, HOSTS.flagship, '192.0.2.10');
    anonymous = new AccountClient(t, HOSTS.flagship, '192.0.2.11');
    await member.submit('/account/sign-up', '/account/sign-up', signUpFields(quillon));
    const signedIn = await member.submit('/account/sign-in', '/account/sign-in', [
      ['email', email],
      ['password', quillon.password],
      ['action', 'password'],
    ]);
    expect(signedIn.statusCode).toBe(303);
  });
  afterAll(async () => {
    await closeConnection(cache);
    await t.close();
  });

  it.each(['/', '/occasions/birthday', '/cards/:card'])(
    'serves %s to a member from the shared cache, with nothing of theirs in it',
    async (path) => {
      const url = path.replace(':card', card);
      const first = await member.get(url);
      const hit = await member.get(url);
      expect(first.statusCode).toBe(200);
      expect(hit.headers['x-cache']).toBe('HIT');
      expect(hit.headers['set-cookie']).toBeUndefined();
      expect(hit.headers['cache-control']).toMatch(/^public, /);
      for (const res of [first, hit]) {
        expect(res.body).not.toContain(name);
        expect(res.body).not.toContain(email);
      }
      // The same stored copy an anonymous visitor gets: no variant per cookie.
      const theirs = await anonymous.get(url);
      expect(theirs.headers['x-cache']).toBe('HIT');
      expect(theirs.headers.etag).toBe(hit.headers.etag);
      expect(hit.body).toContain('id="account-menu"');
    },
  );

  it('keeps no member data in any shared page entry', async () => {
    const keys = await keysMatching(cache, PageKeys.redisEntry('*'));
    // Every shared entry, ours and any other test's: the name is unique to this file.
    expect(keys).toContainEqual(
      expect.stringMatching(new RegExp(`^pc:e:ecardia\\|.*\\|/cards/${card}$`)),
    );
    const bodies = await Promise.all(keys.map((k) => cache.get(k)));
    for (const body of bodies) {
      expect(body).not.toContain(name);
      expect(body).not.toContain(email);
    }
  });

  it('answers the personal part from a private endpoint no cache keeps', async () => {
    const mine = await member.get('/account/me');
    expect(mine.headers['cache-control']).toBe('private, no-store');
    expect(mine.headers['x-cache']).toBeUndefined();
    expect(mine.json()).toMatchObject({ signedIn: true, name, accountUrl: '/account' });
    expect((await anonymous.get('/account/me')).json()).toMatchObject({ signedIn: false });
  });

  it('fills the compose form from the account, for the member only', async () => {
    const form = await member.get(`/cards/${card}/send`);
    expect(form.headers['cache-control']).toBe('private, no-store');
    expect(form.body).toMatch(new RegExp(`id="senderName" name="senderName" value="${name}"`));
    expect(form.body).toMatch(new RegExp(`id="senderEmail" name="senderEmail" value="${email}"`));
    const blank = await anonymous.get(`/cards/${card}/send`);
    expect(blank.body).toContain('id="senderName" name="senderName" value=""');
  });

  it('stars a card for the member from the shared card page, which stays shared', async () => {
    const me = () =>
      member.get('/account/me').then((r) => r.json<{ favourites: string[]; csrf: string }>());
    const { csrf } = await me();
    const forged = await member.post('/account/favourites', [
      ['card', card],
      ['action', 'add'],
    ]);
    expect(forged.statusCode).toBe(403);
    const starred = await member.post('/account/favourites', [
      ['_csrf', csrf],
      ['card', card],
      ['action', 'add'],
    ]);
    expect(starred.statusCode).toBe(303);
    expect(starred.headers.location).toBe(`/cards/${card}`);
    expect((await me()).favourites).toEqual([card]);
    const page = await member.get(`/cards/${card}`);
    expect(page.headers['x-cache']).toBe('HIT');
    expect(page.body).toContain(
      'id="favourite-form" method="post" action="/account/favourites" hidden',
    );
    expect(page.body).not.toContain(csrf);
    const unknown = await member.post('/account/favourites', [
      ['_csrf', csrf],
      ['card', 'no-such-card'],
    ]);
    expect(unknown.statusCode).toBe(404);
    await member.post('/account/favourites', [
      ['_csrf', csrf],
      ['card', card],
      ['action', 'remove'],
    ]);
    expect((await me()).favourites).toEqual([]);
  });
});

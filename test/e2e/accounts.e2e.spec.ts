import { startDeliveryStack, type DeliveryStack } from '../delivery/support/delivery-stack.js';
import { AccountClient, mailedLink } from '../support/account-client.js';
import { uniqueEmail } from '../support/db.js';
import { withServedForm } from '../support/compose-form.js';
import { firstCardSlug, HOSTS } from '../support/test-app.js';

const PASSWORD = 'correct horse battery';

/**
 * Member accounts through HTTP, a worker process and a real SMTP server: every emailed link is
 * read from the mail the sink received. Each test is its own client address and member.
 */
describe('member accounts', () => {
  let stack: DeliveryStack;
  let ip = 0;

  beforeAll(async () => {
    stack = await startDeliveryStack('accounts', {
      TRUST_PROXY: 'loopback',
      ACCOUNT_LOCK_AFTER_FAILURES: '3',
      ACCOUNT_CLIENT_FAILURES_PER_HOUR: '6',
      ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR: '4',
      ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR: '3',
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const client = (host: string = HOSTS.flagship) =>
    new AccountClient(stack.web, host, `198.51.100.${++ip}`);

  const members = (email: string) =>
    stack.db.query<{ display_name: string; email_verified_at: Date | null }[]>(
      'SELECT display_name, email_verified_at FROM members WHERE email = ?',
      [email],
    );

  async function signUp(person: AccountClient, email: string, password = PASSWORD) {
    const res = await person.submit('/account/sign-up', '/account/sign-up', [
      ['displayName', 'Ann Member'],
      ['email', email],
      ['password', password],
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Check your email');
    return res;
  }

  async function signIn(person: AccountClient, email: string, password = PASSWORD) {
    return person.submit('/account/sign-in', '/account/sign-in', [
      ['email', email],
      ['password', password],
      ['action', 'password'],
    ]);
  }

  it('signs up with a password, verifies the address from the email and signs in', async () => {
    const ann = client();
    const email = uniqueEmail('ann');
    await signUp(ann, email);
    expect((await members(email))[0]?.email_verified_at).toBeNull();

    const verify = await mailedLink(stack.sink, email, '/account/verify');
    const verified = await ann.get(verify);
    expect(verified.statusCode).toBe(200);
    expect(verified.body).toContain('Your email address is confirmed');
    expect((await members(email))[0]?.email_verified_at).toBeInstanceOf(Date);
    expect((await ann.get(verify)).statusCode).toBe(410);

    const res = await signIn(ann, email);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account');
    const cookie = res.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(
      /^ecard_member=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    const account = await ann.get('/account');
    expect(account.statusCode).toBe(200);
    expect(account.headers['cache-control']).toBe('private, no-store');
    expect(account.body).toContain(email);
  });

  it('re-renders a bad sign-up with a message per field and creates nothing', async () => {
    const ann = client();
    const res = await ann.submit('/account/sign-up', '/account/sign-up', [
      ['displayName', ''],
      ['email', 'not-an-address'],
      ['password', 'short'],
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<a href="#displayName">Your name: enter a name</a>');
    expect(res.body).toContain('Email address: enter a valid email address like name@example.com');
    expect(res.body).toContain('Password: use at least 10 characters');
    expect(await members('not-an-address')).toEqual([]);
  });

  it('refuses a sign-up posted from another site or without the form token', async () => {
    const ann = client();
    const email = uniqueEmail('forged');
    const fields: [string, string][] = [
      ['displayName', 'Forged'],
      ['email', email],
    ];
    const foreign = await ann.post('/account/sign-up', fields, { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect((await ann.post('/account/sign-up', fields)).statusCode).toBe(403);
    expect(await members(email)).toEqual([]);
  });

  it('signs in with a one-time emailed link, which a second use refuses', async () => {
    const bea = client();
    const email = uniqueEmail('bea');
    await signUp(bea, email, '');
    const link = await mailedLink(stack.sink, email, '/account/link');
    // Opening the link (as a mail scanner would) neither signs in nor uses it up.
    const page = await bea.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Sign in as ${email}?`);
    expect((await bea.get(link)).statusCode).toBe(200);
    const token = new URL(link, 'http://x').searchParams.get('t') ?? '';
    const res = await bea.submit(link, '/account/link', [['t', token]]);
    expect(res.statusCode).toBe(303);
    expect((await bea.get('/account')).statusCode).toBe(200);
    expect((await members(email))[0]?.email_verified_at).toBeInstanceOf(Date);
    expect((await client().get(link)).statusCode).toBe(410);
  });

  it("locks a guessed account's password, but not its emailed link", async () => {
    const owner = client();
    const email = uniqueEmail('target');
    await signUp(owner, email);
    const guesser = client();
    for (let i = 0; i < 3; i++)
      expect((await signIn(guesser, email, `guess-${i}-xxxxx`)).statusCode).toBe(401);
    // The right password is refused for a while, from anywhere...
    const locked = await signIn(client(), email);
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('sign in with an emailed link now');
    // ...but the owner still gets in with a link.
    const asked = await owner.submit('/account/sign-in', '/account/sign-in', [
      ['email', email],
      ['action', 'link'],
    ]);
    expect(asked.statusCode).toBe(200);
    const link = await mailedLink(stack.sink, email, '/account/link');
    const token = new URL(link, 'http://x').searchParams.get('t') ?? '';
    expect((await owner.submit(link, '/account/link', [['t', token]])).statusCode).toBe(303);
  });

  it('stops a password-spraying client without locking the accounts it tried', async () => {
    const real = ['m1', 'm2', 'm3', 'm4'].map((label) => uniqueEmail(label));
    for (const email of real) await signUp(client(), email);
    const sprayer = client();
    const answers: number[] = [];
    for (let i = 0; i < 8; i++) {
      answers.push((await signIn(sprayer, real[i % 4] ?? '', 'Password123!')).statusCode);
    }
    expect(answers.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(answers.slice(6)).toEqual([429, 429]);
    for (const email of real) expect((await signIn(client(), email)).statusCode).toBe(303);
  });

  it('refuses a sign-up flood from one client while others still sign up', async () => {
    const flood = client();
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await flood.submit('/account/sign-up', '/account/sign-up', [
        ['displayName', 'Bot'],
        ['email', uniqueEmail(`bot${i}`)],
        ['password', ''],
      ]);
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
    await signUp(client(), uniqueEmail('human'));
  });

  it('resets a forgotten password from the emailed link and ends the other sessions', async () => {
    const cy = client();
    const email = uniqueEmail('cy');
    await signUp(cy, email);
    expect((await signIn(cy, email)).statusCode).toBe(303);
    const elsewhere = client();
    const asked = await elsewhere.submit('/account/forgot-password', '/account/forgot-password', [
      ['email', email],
    ]);
    expect(asked.body).toContain('Check your email');
    const link = await mailedLink(stack.sink, email, '/account/reset');
    const token = new URL(link, 'http://x').searchParams.get('t') ?? '';
    const short = await elsewhere.submit(link, '/account/reset', [
      ['t', token],
      ['password', 'x'],
    ]);
    expect(short.statusCode).toBe(400);
    const newPassword = 'a brand new passphrase';
    const res = await elsewhere.submit(link, '/account/reset', [
      ['t', token],
      ['password', newPassword],
    ]);
    expect(res.statusCode).toBe(303);
    expect((await elsewhere.get('/account')).statusCode).toBe(200);
    expect((await cy.get('/account')).statusCode).toBe(303);
    expect((await signIn(client(), email)).statusCode).toBe(401);
    expect((await signIn(client(), email, newPassword)).statusCode).toBe(303);
  });

  it('signs out everywhere: every browser of the member is signed out', async () => {
    const email = uniqueEmail('dee');
    const [phone, laptop] = [client(), client()];
    await signUp(phone, email);
    expect((await signIn(phone, email)).statusCode).toBe(303);
    expect((await signIn(laptop, email)).statusCode).toBe(303);
    const res = await phone.submit('/account', '/account/sign-out-everywhere', []);
    expect(res.body).toContain('You are signed out on every browser and device.');
    expect((await laptop.get('/account')).statusCode).toBe(303);
    expect((await phone.get('/account')).statusCode).toBe(303);
  });

  it('exports the account as JSON, then deletes it and everything in it', async () => {
    const eve = client(HOSTS.partner);
    const email = uniqueEmail('eve');
    await signUp(eve, email);
    expect((await signIn(eve, email)).statusCode).toBe(303);
    const exported = await eve.get('/account/export');
    expect(exported.headers['content-disposition']).toBe(
      'attachment; filename="kindred-account.json"',
    );
    const data = exported.json<{ site: string; account: { email: string; name: string } }>();
    expect(data).toMatchObject({ site: 'kindred', account: { email, name: 'Ann Member' } });

    const forged = await eve.post('/account/delete', [
      ['confirm', 'yes'],
      ['_csrf', 'nope'],
    ]);
    expect(forged.statusCode).toBe(403);
    expect(await members(email)).toHaveLength(1);
    const res = await eve.submit('/account', '/account/delete', [['confirm', 'yes']]);
    expect(res.body).toContain('Your account and everything in it are deleted.');
    expect(await members(email)).toEqual([]);
    expect((await eve.get('/account')).statusCode).toBe(303);
  });

  it('keeps a member on one site only', async () => {
    const fay = client(HOSTS.partner);
    const email = uniqueEmail('fay');
    await signUp(fay, email);
    expect((await signIn(fay, email)).statusCode).toBe(303);
    const onFlagship = new AccountClient(stack.web, HOSTS.flagship, fay.ip);
    onFlagship.cookie = fay.cookie;
    expect((await onFlagship.get('/account')).statusCode).toBe(303);
    expect((await signIn(client(), email)).statusCode).toBe(401);
  });

  it("keeps the cards a member sends in their history, with each recipient's state", async () => {
    const gil = client(HOSTS.partner);
    const email = uniqueEmail('gil');
    await signUp(gil, email);
    expect((await signIn(gil, email)).statusCode).toBe(303);
    const card = await firstCardSlug(stack.web, HOSTS.partner);
    const bob = uniqueEmail('bob');
    const year = new Date().getUTCFullYear() + 1;
    const compose = (recipient: string, sendDate: string) =>
      withServedForm(stack.web, HOSTS.partner, card, [
        ['senderName', 'Gil Member'],
        ['senderEmail', email],
        ['recipientName', 'Bob'],
        ['recipientEmail', recipient],
        ['message', 'For you'],
        ['sendDate', sendDate],
        ['sendTime', sendDate ? '09:00' : ''],
        ['timeZone', 'America/Chicago'],
        ['action', 'send'],
      ]);
    expect((await gil.post(`/cards/${card}/send`, await compose(bob, ''))).statusCode).toBe(303);
    const later = uniqueEmail('cy');
    const scheduled = await gil.post(`/cards/${card}/send`, await compose(later, `${year}-03-01`));
    expect(scheduled.statusCode).toBe(303);
    await stack.sink.waitFor((all) => all.some((m) => m.to.includes(bob)));

    let history = await gil.get('/account/history');
    for (let i = 0; i < 100 && !history.body.includes('Delivered'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      history = await gil.get('/account/history');
    }
    expect(history.headers['cache-control']).toBe('private, no-store');
    expect(history.body).toContain(bob);
    expect(history.body).toContain('recipient-status-delivered');
    expect(history.body).toContain(later);
    expect(history.body).toContain('recipient-status-scheduled');
    expect(history.body).toContain(`href="/cards/${card}/send">Send again`);
    const manage = /href="(\/manage\/[^"]+)">Change or cancel/.exec(history.body)?.[1] ?? '';
    expect((await gil.get(manage.replace(/&amp;/g, '&'))).statusCode).toBe(200);

    const exported = (await gil.get('/account/export')).json<{ sent: unknown[] }>();
    expect(exported.sent).toHaveLength(2);
    // Someone else's history stays empty: cards belong to the member who sent them signed in.
    const other = client(HOSTS.partner);
    const otherEmail = uniqueEmail('hal');
    await signUp(other, otherEmail);
    expect((await signIn(other, otherEmail)).statusCode).toBe(303);
    expect((await other.get('/account/history')).body).toContain('id="history-empty"');

    await gil.submit('/account', '/account/delete', [['confirm', 'yes']]);
    const owned = await stack.db.query<{ n: string }[]>(
      'SELECT COUNT(*) AS n FROM greetings WHERE sender_email = ? AND member_id IS NOT NULL',
      [email],
    );
    expect(Number(owned[0]?.n)).toBe(0);
  });
});

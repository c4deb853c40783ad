import { DEV_ADMIN_TOKEN, hiddenField, signInAdmin } from '../support/browser-forms.js';
import { HOSTS, type TestApp } from '../support/test-app.js';
import { FORM, startDefendedApp } from './support.js';

const basic = (password: string) => ({
  authorization: `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`,
});

describe('attack: reading the master admin secret out of an admin page', () => {
  let t: TestApp;
  let ip = 0;
  const from = () => ({ 'x-forwarded-for': `100.65.0.${++ip}` });
  beforeAll(async () => {
    t = await startDefendedApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());

  const get = (url: string, headers: Record<string, string>) =>
    t.request({ method: 'GET', url, host: HOSTS.flagship, headers });
  const postForm = (url: string, headers: Record<string, string>, form: Record<string, string>) =>
    t.request({
      method: 'POST',
      url,
      host: HOSTS.flagship,
      headers: { ...FORM, ...headers },
      payload: new URLSearchParams(form).toString(),
    });

  it('never puts the admin token in a page, and the forms carry a per-session token', async () => {
    const headers = from();
    const browser = await signInAdmin(t, HOSTS.flagship, headers);
    const page = await get('/admin/flags', { ...headers, cookie: browser.cookie });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<code>relatedCards</code>');
    expect(page.body).not.toContain(DEV_ADMIN_TOKEN);
    expect(page.body).not.toContain('name="token"');
    expect(browser.csrf.length).toBeGreaterThanOrEqual(32);
    // Another session gets another anti-forgery token.
    const other = await signInAdmin(t, HOSTS.flagship, from());
    expect(other.csrf).not.toBe(browser.csrf);
  });

  it('no longer takes the admin token as a Basic password: a browser is sent to sign in', async () => {
    const page = await get('/admin/flags', { ...from(), ...basic(DEV_ADMIN_TOKEN) });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/admin/sign-in');
    expect(page.body).not.toContain(DEV_ADMIN_TOKEN);
    const dashboard = await get('/admin/queues', { ...from(), ...basic(DEV_ADMIN_TOKEN) });
    expect(dashboard.statusCode).toBe(303);
  });

  it('sets an HttpOnly, SameSite=Strict session cookie, plain-named over http', async () => {
    const { setCookie } = await signInAdmin(t, HOSTS.flagship, from());
    expect(setCookie).toMatch(/^ecard_admin=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain('Max-Age=28800');
    expect(setCookie).not.toContain('Secure');
  });

  it('lets the session past the gate to every admin page, and not to the admin API', async () => {
    const headers = from();
    const { cookie } = await signInAdmin(t, HOSTS.flagship, headers);
    // The queue dashboard is off under jest (its static stack cannot load here), so the gate's
    // answer shows: a page it lets through is the router's 404, not a redirect to sign in.
    const dashboard = await get('/admin/queues', { ...headers, cookie });
    expect(dashboard.statusCode).toBe(404);
    const api = await get('/admin/api/flags', { ...headers, cookie });
    expect(api.statusCode).toBe(401);
    const bearer = await get('/admin/api/flags', {
      ...headers,
      authorization: `Bearer ${DEV_ADMIN_TOKEN}`,
    });
    expect(bearer.statusCode).toBe(200);
  });

  it('refuses a change with the cookie but without the session token, and changes nothing', async () => {
    const headers = from();
    const { cookie, csrf } = await signInAdmin(t, HOSTS.flagship, headers);
    const form = {
      site: 'kindred',
      scope: 'site',
      key: 'relatedCards',
      value: 'false',
      action: 'flip',
      reason: 'forged',
    };
    const forgeries: Record<string, string>[] = [
      {},
      { _csrf: '' },
      { _csrf: `${csrf}x` },
      { token: DEV_ADMIN_TOKEN },
    ];
    for (const forged of forgeries) {
      const res = await postForm('/admin/flags', { ...headers, cookie }, { ...form, ...forged });
      expect(res.statusCode).toBe(403);
    }
    const crossSite = await postForm(
      '/admin/flags',
      { ...headers, cookie, origin: 'https://attacker.example' },
      { ...form, _csrf: csrf },
    );
    expect(crossSite.statusCode).toBe(403);
    const flags = await get('/admin/api/flags?site=kindred', {
      ...headers,
      authorization: `Bearer ${DEV_ADMIN_TOKEN}`,
    });
    const related = flags
      .json<{ items: { key: string; source: string }[] }>()
      .items.find((i) => i.key === 'relatedCards');
    expect(related?.source).not.toBe('site-override');
  });

  it('ends the session on sign-out: the same cookie opens nothing afterwards', async () => {
    const headers = from();
    const { cookie, csrf } = await signInAdmin(t, HOSTS.flagship, headers);
    const wrong = await postForm('/admin/sign-out', { ...headers, cookie }, { _csrf: 'nope' });
    expect(wrong.statusCode).toBe(403);
    expect((await get('/admin/flags', { ...headers, cookie })).statusCode).toBe(200);
    const out = await postForm('/admin/sign-out', { ...headers, cookie }, { _csrf: csrf });
    expect(out.statusCode).toBe(303);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await get('/admin/flags', { ...headers, cookie });
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/admin/sign-in');
  });

  it('refuses a sign-in form without its own anti-forgery field or from another site', async () => {
    const headers = from();
    const form = await get('/admin/sign-in', headers);
    expect(form.statusCode).toBe(200);
    expect(form.headers['cache-control']).toBe('no-store');
    const csrf = hiddenField(form.body, '_csrf');
    const missing = await postForm('/admin/sign-in', headers, { token: DEV_ADMIN_TOKEN });
    expect(missing.statusCode).toBe(403);
    expect(missing.headers['set-cookie']).toBeUndefined();
    const forged = await postForm(
      '/admin/sign-in',
      { ...headers, 'sec-fetch-site': 'cross-site' },
      { token: DEV_ADMIN_TOKEN, _csrf: csrf },
    );
    expect(forged.statusCode).toBe(403);
    expect(forged.headers['set-cookie']).toBeUndefined();
  });

  it('locks out a client that guesses the token on the sign-in form', async () => {
    const headers = from();
    const csrf = hiddenField((await get('/admin/sign-in', headers)).body, '_csrf');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await postForm('/admin/sign-in', headers, { token: `guess-${i}`, _csrf: csrf });
      expect(res.headers['set-cookie']).toBeUndefined();
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    const right = await postForm('/admin/sign-in', headers, {
      token: DEV_ADMIN_TOKEN,
      _csrf: csrf,
    });
    expect(right.statusCode).toBe(429);
  });

  it('names the cookie __Host- and marks it Secure when the site is served over https', async () => {
    const https = await startDefendedApp({ TRUST_PROXY: 'loopback', PUBLIC_SCHEME: 'https' });
    try {
      const { setCookie } = await signInAdmin(https, HOSTS.flagship, from());
      expect(setCookie).toMatch(/^__Host-ecard_admin=[A-Za-z0-9_-]{43};/);
      expect(setCookie).toContain('Secure');
      expect(setCookie).toContain('Path=/');
      expect(setCookie).not.toContain('Domain=');
    } finally {
      await https.close();
    }
  });
});

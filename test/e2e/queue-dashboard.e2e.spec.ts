import { signInAdmin } from '../support/browser-forms.js';
import { freePort } from '../support/free-port.js';
import { send } from '../support/http-client.js';
import { HOSTS } from '../support/test-app.js';
import { startWebProcess, untilListening, type WebProcess } from '../support/web-process.js';

/** The dashboard in a real web process (jest cannot load Bull Board's file server). */
describe('queue dashboard', () => {
  let web: WebProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    web = startWebProcess(port);
    await untilListening(port);
  }, 30_000);

  afterAll(async () => {
    await web.stop();
  });

  const AUTH = { authorization: 'Bearer development-only-admin-token' };
  const get = (url: string, headers: Record<string, string> = {}) =>
    send(port, { method: 'GET', url, host: HOSTS.flagship, headers });

  it('refuses anyone without the admin token or a session, Basic logins included', async () => {
    const attempts: [Record<string, string>, number][] = [
      [{}, 303],
      [{ authorization: `Basic ${Buffer.from('ops:nope').toString('base64')}` }, 303],
      [
        {
          authorization: `Basic ${Buffer.from('ops:development-only-admin-token').toString('base64')}`,
        },
        303,
      ],
      [{ cookie: 'ecard_admin=forged' }, 303],
      [{ authorization: 'Bearer nope' }, 401],
    ];
    for (const [headers, status] of attempts) {
      for (const url of ['/admin/queues', '/admin/queues/', '/admin/queues/api/queues']) {
        const res = await get(url, headers);
        expect(res.statusCode).toBe(status);
        expect(res.headers['cache-control']).toBe('no-store');
        if (status === 303) expect(res.headers.location).toBe('/admin/sign-in');
      }
    }
  });

  it('sends the documented address to the one its relative links need', async () => {
    const bare = await get('/admin/queues', AUTH);
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/admin/queues/');
    const withQuery = await get('/admin/queues?status=failed', AUTH);
    expect(withQuery.headers.location).toBe('/admin/queues/?status=failed');
  });

  it('shows the delivery queues to a signed-in browser and to a script, under a policy of its own', async () => {
    const page = await get('/admin/queues/', AUTH);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const { cookie } = await signInAdmin({ request: (r) => send(port, r) }, HOSTS.flagship);
    const browser = await get('/admin/queues/', { cookie });
    expect(browser.statusCode).toBe(200);
    expect(browser.headers['content-type']).toContain('text/html');
    const fromBrowser = await get('/admin/queues/api/queues', { cookie });
    expect(fromBrowser.statusCode).toBe(200);
    expect(page.body).toContain('<base href="/admin/queues/"');
    expect(page.body).not.toContain('fonts.googleapis.com');
    const policy = String(page.headers['content-security-policy']);
    const sitePolicy = String((await get('/')).headers['content-security-policy']);
    expect(policy).not.toBe(sitePolicy);
    expect(policy).toContain("base-uri 'self'");
    expect(sitePolicy).toContain("base-uri 'none'");
    expect(page.headers['referrer-policy']).toBe('same-origin');
    const api = await get('/admin/queues/api/queues', AUTH);
    expect(api.statusCode).toBe(200);
    expect(api.headers['content-security-policy']).toBe(policy);
    const names = api.json<{ queues: { name: string }[] }>().queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['delivery']));
  });
});

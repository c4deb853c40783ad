import { signInAdmin } from '../support/browser-forms.js';
import { freePort } from '../support/free-port.js';
import { send } from '../support/http-client.js';
import { HOSTS } from '../support/test-app.js';
import { startWebProcess, type WebProcess } from '../support/web-process.js';

/** The dashboard in a real web process (jest cannot load Bull Board's file server). */
describe('queue dashboard', () => {
  let web: WebProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    web = startWebProcess(port);
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const res = await send(port, { method: 'GET', url: '/health/live', host: 'localhost' });
        if (res.statusCode === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('web process did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
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
      for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
        const res = await get(url, headers);
        expect(res.statusCode).toBe(status);
        expect(res.headers['cache-control']).toBe('no-store');
        if (status === 303) expect(res.headers.location).toBe('/admin/sign-in');
      }
    }
  });

  it('shows the delivery queues to a signed-in browser and to a script', async () => {
    const page = await get('/admin/queues', AUTH);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const { cookie } = await signInAdmin({ request: (r) => send(port, r) }, HOSTS.flagship);
    const browser = await get('/admin/queues', { cookie });
    expect(browser.statusCode).toBe(200);
    expect(browser.headers['content-type']).toContain('text/html');
    const fromBrowser = await get('/admin/queues/api/queues', { cookie });
    expect(fromBrowser.statusCode).toBe(200);
    const api = await get('/admin/queues/api/queues', AUTH);
    expect(api.statusCode).toBe(200);
    const names = api.json<{ queues: { name: string }[] }>().queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['delivery']));
  });
});

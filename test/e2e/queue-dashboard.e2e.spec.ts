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

  it('refuses anyone without the admin token', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: `Basic ${Buffer.from('ops:nope').toString('base64')}` },
    ];
    for (const headers of attempts) {
      for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
        const res = await get(url, headers);
        expect(res.statusCode).toBe(401);
        expect(res.headers['cache-control']).toBe('no-store');
        // A browser prompts for a login on a Basic challenge.
        expect(res.headers['www-authenticate']).toBe('Basic realm="Ecard admin", charset="UTF-8"');
      }
    }
  });

  it('shows the delivery queues to an operator', async () => {
    const page = await get('/admin/queues', AUTH);
    expect(page.statusCode).toBe(200);
    const login = `Basic ${Buffer.from('ops:development-only-admin-token').toString('base64')}`;
    const browser = await get('/admin/queues', { authorization: login });
    expect(browser.statusCode).toBe(200);
    expect(browser.headers['content-type']).toContain('text/html');
    expect(page.headers['content-type']).toContain('text/html');
    const api = await get('/admin/queues/api/queues', AUTH);
    expect(api.statusCode).toBe(200);
    const names = api.json<{ queues: { name: string }[] }>().queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['delivery']));
  });
});

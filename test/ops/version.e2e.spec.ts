import { HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

describe('version', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ APP_VERSION: '4.5.6-test' });
  });
  afterAll(() => t.close());

  it('answers GET /version on any host, even one no site claims', async () => {
    for (const host of ['10.0.0.7', HOSTS.flagship]) {
      const res = await t.request({ method: 'GET', url: '/version', host });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ version: '4.5.6-test', stage: 'test' });
    }
  });

  it('sends X-App-Version and X-Request-Id on every response, errors and cache hits too', async () => {
    const responses = [
      await t.request({ method: 'GET', url: '/', host: HOSTS.flagship }),
      await t.request({ method: 'GET', url: '/', host: HOSTS.flagship }),
      await t.request({ method: 'GET', url: '/no/such/page', host: HOSTS.flagship }),
      await t.request({ method: 'GET', url: '/', host: 'unknown.example' }),
      await t.request({ method: 'GET', url: '/health/live', host: '10.0.0.7' }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 404, 404, 200]);
    for (const res of responses) {
      expect(res.headers['x-app-version']).toBe('4.5.6-test');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

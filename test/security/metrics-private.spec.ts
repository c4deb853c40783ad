import { loadConfig } from '../../src/config/app-config.js';
import { send } from '../support/http-client.js';
import { HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

/** Series only the platform's metrics carry: what a visitor must never read. */
const METRIC_NAMES = /http_request_duration_seconds|ecard_cache_events_total|process_cpu/;

describe('attack: reading the operators’ metrics from a public site', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['the flagship', HOSTS.flagship, 'Ecardia'],
    ['a partner', HOSTS.partner, 'Kindred Paper Co.'],
  ])('gets %s’s own branded 404 for /metrics', async (_name, host, brand) => {
    for (const url of ['/metrics', '/metrics?scope=process', '/metrics/', '/METRICS']) {
      const res = await t.request({ method: 'GET', url, host });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain(brand);
      expect(res.body).not.toMatch(METRIC_NAMES);
    }
  });

  it('gets the unknown-site page on a bare address or a host no site answers to', async () => {
    for (const host of ['127.0.0.1:8080', 'metrics.internal']) {
      const res = await t.request({ method: 'GET', url: '/metrics', host });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toMatch(METRIC_NAMES);
    }
  });

  it('leaves them on their own port, for the scraper', async () => {
    await t.request({ method: 'GET', url: '/', host: HOSTS.flagship });
    expect(await t.scrapeMetrics()).toMatch(METRIC_NAMES);
    const other = await send(t.config.ops.webMetricsPort ?? 0, {
      method: 'GET',
      url: '/',
      host: 'localhost',
    });
    expect(other.statusCode).toBe(404);
  });

  it('listens on loopback unless told otherwise, on a documented port', () => {
    const config = loadConfig({
      APP_STAGE: 'development',
      // Named outright: this machine may have no development services' credentials file.
      DATABASE_URL: 'mysql://ecard:a-real-password@127.0.0.1:23061/ecard',
      REDIS_URL: 'redis://:a-real-password@127.0.0.1:63791',
    });
    expect(config.ops.metricsHost).toBe('127.0.0.1');
    expect(config.ops.webMetricsPort).toBe(9463);
    expect(config.ops.workerMetricsPort).toBe(9464);
  });
});

import http from 'node:http';
import { freePort } from '../support/free-port.js';
import { send } from '../support/http-client.js';
import { HOSTS } from '../support/test-app.js';
import { startWebProcess, type WebProcess } from '../support/web-process.js';
import { sampleValue } from './support/scrape.js';
import { until } from '../support/until.js';

describe('metrics of a web cluster', () => {
  let port: number;
  let metricsPort: number;
  let web: WebProcess;
  const keepAliveAgent = http.globalAgent;

  beforeAll(async () => {
    [port, metricsPort] = await Promise.all([freePort(), freePort()]);
    web = startWebProcess(port, {
      METRICS_PORT: String(metricsPort),
      WEB_CONCURRENCY: '2',
      QUEUE_DASHBOARD: 'false',
      LOG_LEVEL: 'info',
    });
    await until(
      () => web.output().split('listening on').length - 1 === 2,
      'two workers listening',
      40_000,
    );
    // A connection per request, so the primary spreads them over both workers.
    http.globalAgent = new http.Agent({ keepAlive: false });
  }, 45_000);

  afterAll(async () => {
    http.globalAgent = keepAliveAgent;
    await web.stop();
  });

  const scrape = async (url: string): Promise<string> => {
    const res = await send(metricsPort, { method: 'GET', url, host: 'localhost' });
    expect(res.statusCode).toBe(200);
    return res.body;
  };

  it('answers /metrics for the whole group from the primary, on the metrics port only', async () => {
    const series = { route: '/api/cards', method: 'GET', status: '200', site: 'kindred' };
    const count = (text: string): number =>
      sampleValue(text, 'http_request_duration_seconds_count', series);
    const before = count(await scrape('/metrics'));
    const n = 20;
    for (let i = 0; i < n; i++) {
      const res = await send(port, {
        method: 'GET',
        url: '/api/cards?limit=1',
        host: HOSTS.partner,
      });
      expect(res.statusCode).toBe(200);
    }
    const group = await scrape('/metrics');
    expect(count(group) - before).toBe(n);
    // Default process metrics are summed or kept per the prom-client aggregators.
    expect(group).toContain('process_resident_memory_bytes');

    // Cache counters move under load, summed over the workers: each worker's first home page
    // is a miss in its own memory, the rest are hits.
    const pageHits = (text: string): number =>
      sampleValue(text, 'ecard_cache_events_total', { cache: 'page', tier: 'l1', outcome: 'hit' });
    const hitsBefore = pageHits(group);
    for (let i = 0; i < 10; i++) await send(port, { method: 'GET', url: '/', host: HOSTS.uk });
    expect(pageHits(await scrape('/metrics')) - hitsBefore).toBeGreaterThanOrEqual(8);

    // The sites' port has no metrics: an unknown page there, on any host.
    for (const host of ['localhost', HOSTS.partner]) {
      const res = await send(port, { method: 'GET', url: '/metrics', host });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('http_request_duration_seconds');
    }
  }, 30_000);
});

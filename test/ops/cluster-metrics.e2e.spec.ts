import http from 'node:http';
import { freePort } from '../support/free-port.js';
import { send } from '../support/http-client.js';
import { HOSTS } from '../support/test-app.js';
import { startWebProcess, type WebProcess } from '../support/web-process.js';
import { sampleValue } from './support/scrape.js';

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('metrics of a web cluster', () => {
  let port: number;
  let web: WebProcess;
  const keepAliveAgent = http.globalAgent;

  beforeAll(async () => {
    port = await freePort();
    web = startWebProcess(port, {
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
    const res = await send(port, { method: 'GET', url, host: 'localhost' });
    expect(res.statusCode).toBe(200);
    return res.body;
  };

  it('answers /metrics for the whole group, and ?scope=process for one worker', async () => {
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

    const perWorker = await scrape('/metrics?scope=process');
    const mine = count(perWorker);
    expect(mine).toBeGreaterThan(0);
    expect(mine).toBeLessThan(before + n);
  }, 30_000);
});

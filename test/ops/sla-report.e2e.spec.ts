import { spawn } from 'node:child_process';
import type { SlaReport } from '../../src/ops/sla-report.js';
import { builtEntry } from '../support/built-sources.js';
import { HOSTS } from '../support/test-app.js';
import { type ObservedApp, startObservedApp } from './support/observed-app.js';

/** The report's entry point as `npm run sla` runs it, with log lines on stdin. */
function runSla(args: string[], stdin: string, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtEntry('ops/sla-cli'), ...args], {
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${code}: ${err}`)),
    );
    child.stdin.end(stdin);
  });
}

describe('SLA report from a real app run', () => {
  let t: ObservedApp;
  let log: string;

  beforeAll(async () => {
    // An SLA over all traffic needs the page-cache hits in the log too (off by default).
    t = await startObservedApp({ LOG_PAGE_CACHE_HITS: 'true' });
    const get = (url: string, host: string) => t.request({ method: 'GET', url, host });
    for (let i = 0; i < 6; i++) await get('/', HOSTS.partner);
    for (let i = 0; i < 3; i++) await get('/', HOSTS.uk);
    for (let i = 0; i < 2; i++) await get('/api/cards?limit=1', HOSTS.flagship);
    await get('/no/such/page', HOSTS.flagship);
    await get('/health/live', 'localhost');
    // A line from two hours ago, copied from a real one: --since 1h must leave it out.
    const real = t.output.find((l) => l.includes('"msg":"request"')) ?? '';
    const old = real.replace(
      /"time":"[^"]+"/,
      `"time":"${new Date(Date.now() - 7_200_000).toISOString()}"`,
    );
    // Non-request lines and noise are skipped, as in a real stdout capture.
    log = [old, ...t.output, 'not json at all\n'].join('');
  }, 30_000);
  afterAll(() => t.close());

  it('counts requests, groups and sites and checks the targets', async () => {
    const report = JSON.parse(await runSla(['--since', '1h', '--json'], log)) as SlaReport;
    expect(report.requests).toBe(13);
    expect(report.availabilityPercent).toBe(100);
    expect(report.targets.availability).toEqual({ targetPercent: 99.95, met: true });
    const group = (name: string) => report.groups.find((g) => g.name === name);
    expect(group('pages')?.requests).toBe(9);
    expect(group('api')?.requests).toBe(2);
    expect(group('unmatched')?.requests).toBe(1);
    expect(group('ops')?.requests).toBe(1);
    const site = (name: string) => report.sites.find((s) => s.name === name);
    expect(site('kindred')?.requests).toBe(6);
    expect(site('merrypost')?.requests).toBe(3);
    const pages = group('pages');
    expect(pages && pages.p50 <= pages.p90 && pages.p90 <= pages.p99).toBe(true);
    expect(report.targets.pageLatency.thresholdMs).toBe(100);
    expect(report.targets.pageLatency.actualPercent).not.toBeNull();
    expect(report.requestsPerSecond).toBeCloseTo(13 / 3600, 3);
    process.stdout.write(await runSla(['--since', '1h'], log));
  }, 30_000);

  it('reads its targets from the environment and says when one is missed', async () => {
    const text = await runSla(['--since', '1h'], log, {
      SLA_PAGE_LATENCY_MS: '0.001',
      SLA_AVAILABILITY_TARGET: '100',
    });
    expect(text).toMatch(/availability: 100% \(target 100%\): MET/);
    expect(text).toMatch(/pages under 0\.001 ms: 0% \(target 90%\): MISSED/);
    expect(text).toMatch(/^kindred\s+6\s+0/m);
  }, 30_000);
});

import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { LeanHistogram, TalliedCounter } from './lean-metrics.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];

describe('LeanHistogram', () => {
  it('exposes exactly what a prom-client histogram exposes for the same observations', async () => {
    const lean = new Registry();
    const reference = new Registry();
    const histogram = new LeanHistogram('t_seconds', 'help text', ['route', 'site'], BUCKETS, lean);
    const prom = new Histogram({
      name: 't_seconds',
      help: 'help text',
      labelNames: ['route', 'site'],
      buckets: BUCKETS,
      registers: [reference],
    });
    const observations: [string, string, number][] = [
      ['/a', 'x', 0.0005],
      ['/a', 'x', 0.001],
      ['/a', 'x', 0.05],
      ['/a', 'y', 3],
      ['/b', 'x', 0.2],
      ['/b', 'x', 0.2],
    ];
    for (const [route, site, value] of observations) {
      histogram.seriesOf({ route, site }).observe(value);
      prom.observe({ route, site }, value);
    }
    const lines = async (registry: Registry) => (await registry.metrics()).split('\n').sort();
    expect(await lines(lean)).toEqual(await lines(reference));
  });

  it('sums the series of several processes like prom-client does', async () => {
    const registries = [new Registry(), new Registry()];
    registries.forEach((registry, i) => {
      const h = new LeanHistogram('u_seconds', 'help', ['route'], BUCKETS, registry);
      for (let n = 0; n <= i; n++) h.seriesOf({ route: '/a' }).observe(0.005);
    });
    const merged = AggregatorRegistry.aggregate(
      await Promise.all(registries.map((r) => r.getMetricsAsJSON())),
    );
    const text = await merged.metrics();
    expect(text).toContain('u_seconds_count{route="/a"} 3');
    expect(text).toContain('u_seconds_bucket{le="0.001",route="/a"} 0');
    expect(text).toContain('u_seconds_bucket{le="0.01",route="/a"} 3');
  });

  it('forgets every series on reset', async () => {
    const registry = new Registry();
    const h = new LeanHistogram('v_seconds', 'help', ['route'], BUCKETS, registry);
    h.seriesOf({ route: '/a' }).observe(0.5);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('v_seconds_count');
  });
});

describe('TalliedCounter', () => {
  it('shows every tallied increment at the next scrape, and only once', async () => {
    const registry = new Registry();
    const counter = new TalliedCounter({
      name: 'w_total',
      help: 'help',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    const hit = counter.tally({ outcome: 'hit' });
    hit.inc();
    hit.inc();
    counter.inc({ outcome: 'miss' }, 5);
    expect(counter.tally({ outcome: 'hit' })).toBe(hit);
    const first = await registry.metrics();
    expect(first).toContain('w_total{outcome="hit"} 2');
    expect(first).toContain('w_total{outcome="miss"} 5');
    hit.inc();
    const second = await registry.metrics();
    expect(second).toContain('w_total{outcome="hit"} 3');
    expect(second).toContain('w_total{outcome="miss"} 5');
  });
});

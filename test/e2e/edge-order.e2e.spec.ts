import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { firstCardSlug, HOSTS, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The edge runs ahead of the hooks Nest's adapter adds: whatever the edge answers (a cached
 * page, an unknown host) never pays for them. The adapter's first hook calls the lifecycle hook
 * set with `setOnRequestHook`, which makes "did the adapter's hooks run" observable.
 */
describe('edge order', () => {
  let app: TestApp;
  let adapterHookRuns = 0;
  let errorListeners = -1;
  let adapter: FastifyAdapter;

  beforeAll(async () => {
    app = await startTestApp();
    adapter = app.app.getHttpAdapter() as unknown as FastifyAdapter;
    adapter.setOnRequestHook((_request, reply, done) => {
      adapterHookRuns++;
      errorListeners = reply.raw.listenerCount('error');
      done();
    });
  });
  afterAll(async () => {
    await app.close();
  });

  /** The response, and how many times the adapter's hooks ran for it. */
  const counted = async (url: string, host: string) => {
    const before = adapterHookRuns;
    const res = await app.request({ method: 'GET', url, host });
    return { res, adapterRuns: adapterHookRuns - before };
  };

  it('answers a cached page before the adapter hooks run', async () => {
    const slug = await firstCardSlug(app, HOSTS.uk);
    // Another test file flipping a flag changes the page's cache key: ask until it is a hit.
    let outcome = await counted(`/cards/${slug}`, HOSTS.uk);
    for (let i = 0; i < 5 && outcome.res.headers['x-cache'] !== 'HIT'; i++) {
      expect(outcome.adapterRuns).toBe(1);
      outcome = await counted(`/cards/${slug}`, HOSTS.uk);
    }
    expect(outcome.res.headers['x-cache']).toBe('HIT');
    expect(outcome.adapterRuns).toBe(0);
  });

  it('answers an unknown host at the edge too', async () => {
    const { res, adapterRuns } = await counted('/', 'nobody.example');
    expect(res.statusCode).toBe(404);
    expect(adapterRuns).toBe(0);
  });

  it('runs the adapter hooks for every request the edge lets through', async () => {
    const { res, adapterRuns } = await counted('/api/cards?limit=1', HOSTS.partner);
    expect(res.statusCode).toBe(200);
    expect(adapterRuns).toBe(1);
  });

  it('adds no onResponse hook, so Fastify watches no response', async () => {
    // Any onResponse hook (the adapter's own included) puts an error listener on every response.
    errorListeners = -1;
    const { res } = await counted('/api/cards?limit=1', HOSTS.partner);
    expect(res.statusCode).toBe(200);
    expect(errorListeners).toBe(0);
    expect(() => adapter.setOnResponseHook((_request, _reply, done) => done())).toThrow(
      /EdgeChain onResponse/,
    );
  });
});

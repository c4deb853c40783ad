import Fastify, { type FastifyInstance } from 'fastify';
import { PageCacheStore } from '../../../platform/cache/page-cache-store.js';
import { aSite } from '../../../../test/support/factories.js';
import { listenOnLoopback } from '../../../../test/support/free-port.js';
import { send } from '../../../../test/support/http-client.js';
import { EdgeChain } from '../edge-chain.js';
import { installPageCache } from './page-cache.hook.js';

/**
 * The hook on a real Fastify server, with an in-process store only, and page handlers the
 * test can hold open: that makes "one request refreshes while the others get the stale copy"
 * observable without depending on timing.
 */
describe('page cache hook', () => {
  let fastify: FastifyInstance;
  let port: number;
  let renders = 0;
  let gate: Promise<void> = Promise.resolve();
  let extraHeaders: Record<string, string> = {};
  let status = 200;
  const site = aSite();

  beforeAll(async () => {
    fastify = Fastify();
    const edge = new EdgeChain();
    edge.install(fastify);
    fastify.decorateRequest('site', null);
    edge.onRequest((request) => {
      request.site = site;
      return false;
    });
    installPageCache(fastify, edge, {
      store: new PageCacheStore(null, 1024 * 1024),
      enabled: true,
      ttlSeconds: 1,
      variant: () => 'v1',
    });
    fastify.get(
      '/cards/:slug',
      { config: { policy: { cache: 'card' } } },
      async (_request, reply) => {
        renders++;
        await gate;
        void reply.code(status).headers(extraHeaders).type('text/html; charset=utf-8');
        return `<html>render ${renders}</html>`;
      },
    );
    port = await listenOnLoopback(fastify);
  });
  afterAll(async () => {
    await fastify.close();
  });
  beforeEach(() => {
    gate = Promise.resolve();
    extraHeaders = {};
    status = 200;
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    send(port, { method: 'GET', url, host: 'www.ecardia.example', headers });

  it('serves the stored page until it is stale, then one request refreshes it', async () => {
    const first = await get('/cards/a');
    expect(first.headers['x-cache']).toBe('MISS');
    const hit = await get('/cards/a');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body).toBe(first.body);

    await new Promise((r) => setTimeout(r, 1050));
    let release: () => void = () => undefined;
    gate = new Promise((r) => (release = r));
    const refresher = get('/cards/a');
    await new Promise((r) => setTimeout(r, 50));
    const meanwhile = await Promise.all([get('/cards/a'), get('/cards/a')]);
    expect(meanwhile.map((r) => r.headers['x-cache'])).toEqual(['STALE', 'STALE']);
    expect(meanwhile[0]?.body).toBe(first.body);
    release();
    const refreshed = await refresher;
    expect(refreshed.headers['x-cache']).toBe('MISS');
    expect(refreshed.body).not.toBe(first.body);
    expect((await get('/cards/a')).body).toBe(refreshed.body);
  });

  it('answers a matching If-None-Match with 304', async () => {
    const page = await get('/cards/b');
    const again = await get('/cards/b', { 'if-none-match': String(page.headers.etag) });
    expect(again.statusCode).toBe(304);
  });

  it('never stores a response with Set-Cookie or a status other than 200', async () => {
    extraHeaders = { 'set-cookie': 'a=b' };
    await get('/cards/c');
    expect((await get('/cards/c')).headers['x-cache']).toBeUndefined();
    extraHeaders = {};
    status = 404;
    await get('/cards/d');
    status = 200;
    expect((await get('/cards/d')).headers['x-cache']).toBe('MISS');
  });

  it('sends other spellings of a page to its canonical URL, and keeps refused ones uncached', async () => {
    const before = renders;
    // "/cards/E" is outside the page's syntax: rendered (here, by a lenient handler), not stored.
    expect((await get('/cards/E')).headers['x-cache']).toBeUndefined();
    expect((await get('/cards/E')).headers['x-cache']).toBeUndefined();
    // No route answers "/cards/e/".
    expect((await get('/cards/e/')).headers['x-cache']).toBeUndefined();
    for (const variant of ['/cards/e?x=1', '/cards/%65', '/cards/e?']) {
      const moved = await get(variant);
      expect({ variant, status: moved.statusCode, location: moved.headers.location }).toEqual({
        variant,
        status: 301,
        location: '/cards/e',
      });
    }
    expect((await get('/cards/e')).headers['x-cache']).toBe('MISS');
    expect((await get('/cards/e')).headers['x-cache']).toBe('HIT');
    expect(renders - before).toBe(3);
  });
});

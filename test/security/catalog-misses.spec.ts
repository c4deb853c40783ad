import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/app-config.js';
import { keysMatching } from '../support/redis-keys.js';
import { firstCardSlug, HOSTS, type TestApp } from '../support/test-app.js';
import { startDefendedApp } from './support.js';
import { closeConnection } from '../../src/platform/redis/close-connection.js';

/** A slug no catalog has, unique to the call. */
const unknownSlug = (label: string) => `${label}-${randomBytes(6).toString('hex')}`;

/** Every key of the cache Redis whose name holds `needle`. */
const keysHolding = (redis: Redis, needle: string) => keysMatching(redis, `*${needle}*`);

describe('Redis roles: queues and caches apart', () => {
  const base = { APP_STAGE: 'test', DATABASE_URL: 'mysql://ecard:pw@db.local/ecard' };

  it('uses REDIS_URL for both roles unless a role has its own URL', () => {
    const one = loadConfig({ ...base, REDIS_URL: 'redis://one:6379' });
    expect([one.redisUrl, one.redisCacheUrl]).toEqual(['redis://one:6379', 'redis://one:6379']);
    const split = loadConfig({
      ...base,
      REDIS_URL: 'redis://one:6379',
      REDIS_CACHE_URL: 'redis://cache:6379/2',
      REDIS_QUEUE_URL: 'redis://queue:6379/1',
    });
    expect([split.redisUrl, split.redisCacheUrl]).toEqual([
      'redis://queue:6379/1',
      'redis://cache:6379/2',
    ]);
  });

  it('refuses a malformed role URL at boot', () => {
    expect(() => loadConfig({ ...base, REDIS_CACHE_URL: 'http://cache' })).toThrow(
      /REDIS_CACHE_URL: must be redis:/,
    );
  });
});

describe('attack: asking the catalog for things that do not exist', () => {
  let t: TestApp;
  let cache: Redis;
  let ip = 0;
  const client = () => ({ 'x-forwarded-for': `198.51.100.${++ip}` });
  const get = (url: string, headers: Record<string, string> = {}) =>
    t.request({ method: 'GET', url, host: HOSTS.flagship, headers });

  beforeAll(async () => {
    t = await startDefendedApp({ TRUST_PROXY: 'loopback', CATALOG_MISSES_PER_MINUTE: '5' });
    cache = new Redis(t.config.redisCacheUrl);
  });
  afterAll(async () => {
    await closeConnection(cache);
    await t.close();
  });

  it('keeps what it learnt of unknown cards, occasions and media out of Redis', async () => {
    const slug = unknownSlug('nosuchcard');
    const occasion = unknownSlug('nosuchday');
    const from = client();
    expect((await get(`/cards/${slug}`, from)).statusCode).toBe(404);
    expect((await get(`/media/cards/${slug}.0123456789ab.svg`, from)).statusCode).toBe(404);
    expect((await get(`/api/cards?occasion=${occasion}`, from)).statusCode).toBe(404);
    // The card's page cached as absent in the process: asked again, still a 404.
    expect((await get(`/cards/${slug}`, from)).statusCode).toBe(404);
    expect(await keysHolding(cache, slug)).toEqual([]);
    expect(await keysHolding(cache, occasion)).toEqual([]);
  });

  it('still shares what exists through the cache Redis', async () => {
    const card = await firstCardSlug(t, HOSTS.flagship);
    expect((await get(`/cards/${card}`)).statusCode).toBe(200);
    expect((await keysHolding(cache, `card-page:${card}`)).length).toBeGreaterThan(0);
  });

  it('refuses an offset past the last card before looking it up', async () => {
    const all = await get('/api/cards?limit=1');
    const total = all.json<{ total: number }>().total;
    expect(total).toBeGreaterThan(1);
    const last = await get(`/api/cards?limit=1&offset=${total - 1}`);
    expect(last.statusCode).toBe(200);
    expect(last.json<{ items: unknown[] }>().items).toHaveLength(1);
    for (const offset of [total, total + 1, 99_999]) {
      const past = await get(`/api/cards?limit=7&offset=${offset}`);
      expect(past.statusCode).toBe(400);
      expect(past.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('offset');
      expect(await keysHolding(cache, `:7:${offset}`)).toEqual([]);
    }
  });

  it('answers 429 with Retry-After once a client spent its miss budget, for any lookup', async () => {
    const from = client();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await get(`/cards/${unknownSlug('g')}`, from)).statusCode);
    }
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429]);
    // A real listing (never page-cached), refused before it is looked up.
    const refused = await get('/api/cards?limit=2', from);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const media = await get(`/media/cards/${unknownSlug('m')}.0123456789ab.svg`, from);
    expect(media.statusCode).toBe(429);
    // Another client is not concerned.
    expect((await get('/api/cards?limit=2', client())).statusCode).toBe(200);
  });
});

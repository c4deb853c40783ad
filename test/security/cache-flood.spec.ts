import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type DeliveryStack, startDeliveryStack } from '../delivery/support/delivery-stack.js';
import { keysMatching } from '../support/redis-keys.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { firstCardSlug, HOSTS } from '../support/test-app.js';
import { apiGreeting } from './support.js';

const CACHE_MAXMEMORY = 2 * 1024 * 1024;
/** Room the queue Redis has above what the platform uses at rest: a flood fills it quickly. */
const QUEUE_HEADROOM = 1536 * 1024;
/**
 * Keys of the attacker's invention sent before the greetings, at the least: the listing pages
 * fill the 2 MB cache within a few hundred requests, and the flood goes on while they are sent.
 */
const UNKNOWN_REQUESTS = 1500;
const PARALLEL = 12;

async function memory(redis: Redis): Promise<{ used: number; evicted: number }> {
  const info = (await redis.info('memory')) + (await redis.info('stats'));
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? 0);
  return { used: field('used_memory'), evicted: field('evicted_keys') };
}

async function countKeys(redis: Redis, pattern: string): Promise<number> {
  return (await keysMatching(redis, pattern)).length;
}

/**
 * The deployment the platform asks for: a small cache Redis that evicts (allkeys-lru) and a
 * queue Redis that never does (noeviction) with little room to spare. A client floods the
 * catalog with keys of its invention and with every page of the listing until the cache Redis
 * is full; greetings sent then are still queued and delivered.
 */
describe('attack: filling the caches to starve delivery', () => {
  let cacheRedis: RedisServer;
  let queueRedis: RedisServer;
  let stack: DeliveryStack;

  beforeAll(async () => {
    cacheRedis = await startRedisServer([
      '--maxmemory',
      String(CACHE_MAXMEMORY),
      '--maxmemory-policy',
      'allkeys-lru',
    ]);
    queueRedis = await startRedisServer(['--maxmemory-policy', 'noeviction']);
    stack = await startDeliveryStack('cache_flood', {
      REDIS_URL: queueRedis.url,
      REDIS_CACHE_URL: cacheRedis.url,
      DELIVERY_BACKOFF_MS: '200',
    });
    const atRest = await memory(queueRedis.client);
    await queueRedis.client.config('SET', 'maxmemory', String(atRest.used + QUEUE_HEADROOM));
  }, 60_000);

  afterAll(async () => {
    await stack.stop();
    await Promise.all([cacheRedis.stop(), queueRedis.stop()]);
  });

  it('fills the cache Redis, and greetings are still accepted and delivered', async () => {
    const { web, sink } = stack;
    const get = (url: string) => web.request({ method: 'GET', url, host: HOSTS.flagship });
    const total = (await get('/api/cards?limit=1')).json<{ total: number }>().total;
    const long = (label: string) => `${label}-${randomBytes(48).toString('hex')}`;
    const unknown = [
      () => `/cards/${long('card')}`,
      () => `/media/cards/${long('art')}.${randomBytes(6).toString('hex')}.svg`,
      () => `/api/cards?occasion=${long('day').slice(0, 64)}`,
      () => `/occasions/${long('day').slice(0, 64)}`,
      () => `/api/cards?limit=3&offset=${total + Math.floor(Math.random() * 90_000)}`,
    ];
    const statuses = new Map<number, number>();
    let sent = 0;
    let listing = 0;
    let flooding = true;
    const full = async () => {
      const m = await memory(cacheRedis.client);
      return m.evicted > 0 || m.used >= CACHE_MAXMEMORY * 0.95;
    };
    const nextUrl = (i: number): string => {
      // Every fourth request a real page of the listing, each one a new cache entry.
      if (i % 4 === 0 && listing < total * 100) {
        const limit = 1 + (listing % 100);
        const offset = Math.floor(listing / 100) % total;
        listing++;
        return `/api/cards?limit=${limit}&offset=${offset}`;
      }
      sent++;
      return unknown[sent % unknown.length]?.() ?? '/';
    };
    // The attacker does not stop while greetings are sent: the flood runs in the background.
    const flood = (async () => {
      while (flooding) {
        const batch = Array.from({ length: PARALLEL }, (_, i) => get(nextUrl(i)));
        for (const res of await Promise.all(batch)) {
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        }
      }
    })();
    try {
      while ((sent < UNKNOWN_REQUESTS || !(await full())) && sent < UNKNOWN_REQUESTS * 2) {
        await new Promise((r) => setTimeout(r, 200));
      }
      const card = await firstCardSlug(web, HOSTS.flagship);
      const recipients: string[] = [];
      for (const body of [apiGreeting(card), apiGreeting(card)]) {
        recipients.push(...body.recipients.map((r) => r.email));
        const res = await web.request({
          method: 'POST',
          url: '/api/greetings',
          host: HOSTS.flagship,
          payload: body,
        });
        expect(res.statusCode).toBe(201);
      }
      await sink.waitFor(
        (all) => recipients.every((r) => all.some((m) => m.to.includes(r))),
        20_000,
      );
    } finally {
      flooding = false;
      await flood;
    }

    expect(await full()).toBe(true);
    // Unknown keys were answered without an entry of their own; offsets past the end refused.
    expect([...statuses.keys()].sort()).toEqual([200, 400, 404]);
    // Nothing of the flood reached the queue Redis.
    expect(await countKeys(queueRedis.client, 'dc:*')).toBe(0);
    expect(await countKeys(queueRedis.client, 'pc:*')).toBe(0);
  }, 180_000);
});

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CardViews } from '../../src/catalog/card-views.js';
import { CounterKeys } from '../../src/platform/cache/cache-keys.js';
import { RedisService } from '../../src/platform/redis/redis.service.js';
import { testConfig } from '../support/test-app.js';
import { closeConnection } from '../../src/platform/redis/close-connection.js';

/** View counting over the real Redis: batched writes, counts reused for a second. */
describe('card views', () => {
  const config = testConfig();
  const redis = new RedisService(config);
  const site = `test-${randomUUID()}`;
  const stored = async (slug: string) =>
    Number((await redis.client.get(CounterKeys.cardViews(site, slug))) ?? 0);
  const flushed = () => new Promise((r) => setTimeout(r, 1300));

  beforeAll(() => redis.onModuleInit());
  afterAll(() => redis.onApplicationShutdown());

  it('writes views in batches and counts unwritten ones at once', async () => {
    const views = new CardViews(redis);
    views.onModuleInit();
    try {
      await redis.client.set(CounterKeys.cardViews(site, 'balloons'), '40');
      // The first count reads Redis; the ones after it in the same second are plain numbers.
      expect(await views.count(site, 'balloons')).toBe(40);
      views.record(site, 'balloons');
      views.record(site, 'balloons');
      views.record(site, 'lanterns');
      expect(views.recentCount(site, 'balloons')).toBe(42);
      expect(await stored('balloons')).toBe(40);

      await flushed();
      expect(await stored('balloons')).toBe(42);
      expect(await stored('lanterns')).toBe(1);
      // Written views are not counted twice while the read is still reused.
      expect(await views.count(site, 'balloons')).toBe(42);

      views.record(site, 'balloons');
      await flushed();
      expect(await stored('balloons')).toBe(43);
    } finally {
      views.onApplicationShutdown();
    }
  });

  it('writes what is left at shutdown', async () => {
    const views = new CardViews(redis);
    views.onModuleInit();
    views.record(site, 'confetti');
    views.onApplicationShutdown();
    // The pipeline was sent at shutdown; a read queued after it sees its result.
    expect(await stored('confetti')).toBe(1);
  });

  it('shares one Redis read among concurrent counts', async () => {
    const views = new CardViews(redis);
    await redis.client.set(CounterKeys.cardViews(site, 'ribbons'), '7');
    const reads: string[] = [];
    const { monitor, problems } = await monitorOf(redis.client);
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'get' && args[1]?.includes(`${site}:views:ribbons`)) {
        reads.push(args[1]);
      }
    });
    try {
      // None is fresh yet, so every one waits on the same read.
      expect(views.recentCount(site, 'ribbons')).toBeUndefined();
      const counts = await Promise.all(
        Array.from({ length: 10 }, () => views.count(site, 'ribbons')),
      );
      expect(counts).toEqual(Array.from({ length: 10 }, () => 7));
      await redis.client.ping();
      await new Promise((r) => setTimeout(r, 50));
      expect(reads).toHaveLength(1);
      expect(problems).toEqual([]);
    } finally {
      await closeConnection(monitor);
    }
  });
});

/**
 * A MONITOR connection, in monitoring mode when this resolves, and what went wrong on it since.
 * Not ioredis's `monitor()`: ioredis enters its monitoring state a microtask after MONITOR's OK,
 * so lines the server sends in the same packet (other clients' commands, from files running
 * beside this one) arrive as replies to no command and reject that promise. Those lines come
 * before anything this test does, so errors before monitoring began are let go.
 */
async function monitorOf(client: Redis): Promise<{ monitor: Redis; problems: string[] }> {
  const monitor = client.duplicate({ monitor: true, lazyConnect: true });
  const problems: string[] = [];
  let monitoring = false;
  monitor.on('error', (error: Error) => {
    if (!monitoring && /Command queue state error/.test(error.message)) return;
    problems.push(error.message);
  });
  const began = new Promise<void>((resolve) =>
    monitor.once('monitoring', () => {
      monitoring = true;
      resolve();
    }),
  );
  await monitor.connect();
  await began;
  return { monitor, problems };
}

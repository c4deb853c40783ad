import { randomUUID } from 'node:crypto';
import { DataCache } from '../../src/platform/cache/data-cache.service.js';
import { RedisService } from '../../src/platform/redis/redis.service.js';
import { testConfig } from '../support/test-app.js';

/** Two data caches over the real Redis stand for two processes. */
describe('data cache', () => {
  const config = testConfig();
  const redisA = new RedisService(config);
  const redisB = new RedisService(config);
  const a = new DataCache(config, redisA);
  const b = new DataCache(config, redisB);
  const prefix = `test-${randomUUID()}`;
  const tags = (name: string) => [`card:${prefix}-${name}`];

  beforeAll(async () => {
    await Promise.all([redisA.onModuleInit(), redisB.onModuleInit()]);
  });
  afterAll(async () => {
    await Promise.all([a.onApplicationShutdown(), b.onApplicationShutdown()]);
    await Promise.all([redisA.onApplicationShutdown(), redisB.onApplicationShutdown()]);
  });

  it('runs one loader for many concurrent readers of a key', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 50));
      return { value: 'v1' };
    };
    const key = `${prefix}:stampede`;
    const results = await Promise.all(
      Array.from({ length: 25 }, () => a.getOrSet(key, { ttlMs: 60_000, tags: tags('s') }, load)),
    );
    expect(loads).toBe(1);
    expect(results.every((r) => r.value === 'v1')).toBe(true);
  });

  it('shares entries between processes through Redis', async () => {
    const key = `${prefix}:shared`;
    await a.getOrSet(key, { ttlMs: 60_000, tags: tags('shared') }, async () => 'from-a');
    const fromB = await b.getOrSet(
      key,
      { ttlMs: 60_000, tags: tags('shared') },
      async () => 'from-b',
    );
    expect(fromB).toBe('from-a');
  });

  it('serves the last good value when the loader fails after expiry', async () => {
    const key = `${prefix}:grace`;
    await a.getOrSet(key, { ttlMs: 100, tags: tags('g') }, async () => 'good');
    await new Promise((r) => setTimeout(r, 150));
    const value = await a.getOrSet(key, { ttlMs: 100, tags: tags('g') }, async () => {
      throw new Error('database is down');
    });
    expect(value).toBe('good');
  });

  it('answers from grace instead of waiting on a slow loader', async () => {
    const key = `${prefix}:slow`;
    await a.getOrSet(key, { ttlMs: 100, tags: tags('slow') }, async () => 'old');
    await new Promise((r) => setTimeout(r, 150));
    const started = Date.now();
    const value = await a.getOrSet(key, { ttlMs: 100, tags: tags('slow') }, async () => {
      await new Promise((r) => setTimeout(r, 1500));
      return 'new';
    });
    expect(value).toBe('old');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('drops a tag in every process', async () => {
    const key = `${prefix}:purge`;
    await a.getOrSet(key, { ttlMs: 60_000, tags: tags('p') }, async () => 'before');
    await b.getOrSet(key, { ttlMs: 60_000, tags: tags('p') }, async () => 'unused');
    await a.deleteByTags(tags('p'));
    const deadline = Date.now() + 1000;
    let seen = '';
    while (Date.now() < deadline) {
      seen = await b.getOrSet(key, { ttlMs: 60_000, tags: tags('p') }, async () => 'after');
      if (seen === 'after') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(seen).toBe('after');
  });

  describe('per-process snapshot', () => {
    it('answers repeated reads with one shared, frozen value', async () => {
      const key = `${prefix}:snapshot`;
      const options = { ttlMs: 60_000, tags: tags('snap') };
      let loads = 0;
      const load = async () => {
        loads++;
        return { title: 'shared', related: [{ slug: 'x' }] };
      };
      await a.getOrSet(key, options, load);
      // Bus messages from the other cache's earlier writes empty the snapshot; let them land.
      await new Promise((r) => setTimeout(r, 100));
      const first = await a.getOrSet(key, options, load);
      const second = await a.getOrSet(key, options, load);
      expect(loads).toBe(1);
      expect(second).toBe(first);
      expect(Object.isFrozen(second.related[0])).toBe(true);
      expect(() => {
        (second.related as { slug: string }[]).push({ slug: 'y' });
      }).toThrow(TypeError);
    });

    it('is emptied by a purge in this process and, within a second, in every other', async () => {
      const key = `${prefix}:snapshot-purge`;
      const options = { ttlMs: 60_000, tags: tags('snap-purge') };
      await a.getOrSet(key, options, async () => 'before');
      // Read twice in the other process so its snapshot certainly holds the old value.
      await b.getOrSet(key, options, async () => 'unused');
      expect(await b.getOrSet(key, options, async () => 'unused')).toBe('before');
      await a.deleteByTags(tags('snap-purge'));
      expect(await a.getOrSet(key, options, async () => 'after')).toBe('after');
      const started = Date.now();
      let seen = '';
      while (Date.now() - started < 1000) {
        seen = await b.getOrSet(key, options, async () => 'unused');
        if (seen === 'after') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(seen).toBe('after');
      // Well inside the snapshot's own one-second bound: the purge, not expiry, emptied it.
      expect(Date.now() - started).toBeLessThan(500);
    });

    it('does not keep a value whose load was overtaken by a purge', async () => {
      const key = `${prefix}:snapshot-race`;
      const options = { ttlMs: 60_000, tags: tags('snap-race') };
      let release: () => void = () => undefined;
      const slowLoad = a.getOrSet(key, options, async () => {
        await new Promise<void>((r) => (release = r));
        return { value: 'loaded' };
      });
      await new Promise((r) => setTimeout(r, 20));
      // Any purge bumps the generation, so the load in flight must not fill the snapshot.
      await a.deleteByTags(tags('snap-race-other'));
      release();
      const loaded = await slowLoad;
      const next = await a.getOrSet(key, options, async () => ({ value: 'unused' }));
      // From bentocache (a fresh copy), not the snapshot (which would hand back `loaded`).
      expect(next).toEqual(loaded);
      expect(next).not.toBe(loaded);
    });
  });
});

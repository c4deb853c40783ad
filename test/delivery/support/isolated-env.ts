import { createConnection } from 'mysql2/promise';
import { createDataSource } from '../../../src/platform/database/data-source.factory.js';
import { type SeedOptions, seedCatalog } from '../../../src/seed/seed-catalog.js';
import { testConfig } from '../../support/test-app.js';

/**
 * A database and a queue namespace of a test file's own. Delivery tests run a real worker, and
 * a worker takes every due outbox row and job it can see: sharing the run's database and queues
 * with other test files running in parallel would let one file's worker mail another's cards.
 * Names derive from the run's own database, so two runs at once stay apart as well. Its
 * catalog is the hand-written cards, and generated ones when `catalog` asks for them.
 */
export async function isolatedEnv(
  name: string,
  catalog: SeedOptions = {},
): Promise<Record<string, string>> {
  const base = testConfig();
  const url = new URL(base.database.primaryUrl);
  const database = `${url.pathname.slice(1)}_${name}`.slice(0, 64);
  url.pathname = '/';
  const server = await createConnection(url.toString());
  await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await server.query(`CREATE DATABASE \`${database}\``);
  await server.end();
  url.pathname = `/${database}`;
  const db = createDataSource({ url: url.toString(), poolSize: 2, name: 'setup' });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await seedCatalog(db, catalog);
  await db.destroy();
  return {
    DATABASE_URL: url.toString(),
    DATABASE_REPLICA_URLS: url.toString(),
    REDIS_URL: base.redisUrl,
    REDIS_CACHE_URL: isolatedCacheUrl(base.redisCacheUrl),
    QUEUE_PREFIX: `${database}-${Date.now().toString(36)}`,
  };
}

/** Removes the database `isolatedEnv` made; the queue keys expire with the run's Redis db. */
export async function dropIsolatedEnv(env: Record<string, string>): Promise<void> {
  const url = new URL(env.DATABASE_URL as string);
  const database = url.pathname.slice(1);
  if (!/^ecard_test[a-z0-9_]*$/.test(database)) return;
  url.pathname = '/';
  const server = await createConnection(url.toString());
  await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await server.end();
}

/**
 * Cached pages and catalog data from the run's shared database (with its generated cards) must
 * not be served over this database's catalog, whose cards are the hand-written ones only: the
 * isolated databases share Redis database 0 of the cache Redis, which runs never use, and all
 * hold that same catalog.
 */
function isolatedCacheUrl(runCacheUrl: string): string {
  const url = new URL(runCacheUrl);
  url.pathname = '/0';
  return url.toString();
}

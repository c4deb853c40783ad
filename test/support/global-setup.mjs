import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * Real services for the whole run: the test profile's own MariaDB primary + replica, queue
 * Redis and cache Redis (ports apart from a developer's; left running so the next run starts
 * in a second). Each run gets a database and a Redis database number of its own (the same in
 * both Redis), so two runs at once (two checkouts, a developer and a hook) never see each
 * other's data. The URLs reach the test workers through the environment.
 */
export default function globalSetup() {
  const env = { ...process.env, APP_STAGE: 'test', NODE_OPTIONS: '' };
  execFileSync('bash', ['scripts/services.sh', '--profile', 'test', 'up'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  });
  const run = randomBytes(4).toString('hex');
  const primary = new URL(process.env.TEST_DATABASE_URL ?? 'mysql://ecard@127.0.0.1:23071/');
  const replica = new URL(
    process.env.TEST_DATABASE_REPLICA_URL ?? 'mysql://ecard@127.0.0.1:23072/',
  );
  const redis = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:63801');
  const redisCache = new URL(process.env.TEST_REDIS_CACHE_URL ?? 'redis://127.0.0.1:63802');
  primary.pathname = `/ecard_test_${run}`;
  replica.pathname = `/ecard_test_${run}`;
  redis.pathname = `/${1 + (parseInt(run.slice(0, 4), 16) % 15)}`;
  redisCache.pathname = redis.pathname;
  process.env.DATABASE_URL = primary.toString();
  process.env.DATABASE_REPLICA_URLS = replica.toString();
  process.env.REDIS_URL = redis.toString();
  process.env.REDIS_CACHE_URL = redisCache.toString();
  execFileSync(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'test/support/prepare-database.ts'],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...env, ...pick(process.env) } },
  );
}

function pick(source) {
  const { DATABASE_URL, DATABASE_REPLICA_URLS, REDIS_URL, REDIS_CACHE_URL } = source;
  return { DATABASE_URL, DATABASE_REPLICA_URLS, REDIS_URL, REDIS_CACHE_URL };
}

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Real services for the whole run: the test profile's own MariaDB primary + replica, queue
 * Redis and cache Redis (ports apart from a developer's; left running so the next run starts
 * in a second). Each run gets a database and a Redis database number of its own (the same in
 * both Redis), so two runs at once (two checkouts, a developer and a hook) never see each
 * other's data. The URLs, with the passwords `services.sh` made, reach the test workers
 * through the environment. SERVICES_DIR and SERVICES_PORTS (see services.sh) run the suite on
 * a private set of services.
 */
export default function globalSetup() {
  const env = { ...process.env, APP_STAGE: 'test', NODE_OPTIONS: '' };
  execFileSync('bash', ['scripts/services.sh', '--profile', 'test', 'up'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env,
  });
  const run = randomBytes(4).toString('hex');
  const [p, r, q, c] = (process.env.SERVICES_PORTS ?? '23071,23072,63801,63802').split(',');
  const { db, redis: pw } = credentials(process.env.SERVICES_DIR ?? join('.data', 'test'));
  const primary = new URL(process.env.TEST_DATABASE_URL ?? `mysql://ecard:${db}@127.0.0.1:${p}/`);
  const replica = new URL(
    process.env.TEST_DATABASE_REPLICA_URL ?? `mysql://ecard:${db}@127.0.0.1:${r}/`,
  );
  const redis = new URL(process.env.TEST_REDIS_URL ?? `redis://:${pw}@127.0.0.1:${q}`);
  const redisCache = new URL(process.env.TEST_REDIS_CACHE_URL ?? `redis://:${pw}@127.0.0.1:${c}`);
  primary.pathname = `/ecard_test_${run}`;
  replica.pathname = `/ecard_test_${run}`;
  redis.pathname = `/${1 + (parseInt(run.slice(0, 4), 16) % 15)}`;
  redisCache.pathname = redis.pathname;
  process.env.DATABASE_URL = primary.toString();
  process.env.DATABASE_REPLICA_URLS = replica.toString();
  process.env.REDIS_URL = redis.toString();
  process.env.REDIS_CACHE_URL = redisCache.toString();
  // Keys of its own too: fifteen Redis databases are few, and a run that draws the number an
  // earlier one had would otherwise meet that run's rate-limit counts (kept for an hour) and
  // queues. A file that sets its own prefix still wins.
  process.env.QUEUE_PREFIX = `ecard-test-${run}`;
  execFileSync(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'test/support/prepare-database.ts'],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...env, ...pick(process.env) } },
  );
}

/** The passwords services.sh keeps beside the profile's data (letters and digits only). */
function credentials(dir) {
  const text = readFileSync(join(dir, 'credentials.env'), 'utf8');
  const value = (name) => new RegExp(`^${name}=([A-Za-z0-9]+)`, 'm').exec(text)?.[1] ?? '';
  return { db: value('DB_PASSWORD'), redis: value('REDIS_PASSWORD') };
}

function pick(source) {
  const { DATABASE_URL, DATABASE_REPLICA_URLS, REDIS_URL, REDIS_CACHE_URL, QUEUE_PREFIX } = source;
  return { DATABASE_URL, DATABASE_REPLICA_URLS, REDIS_URL, REDIS_CACHE_URL, QUEUE_PREFIX };
}

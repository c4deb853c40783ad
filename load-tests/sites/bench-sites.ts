import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/app-config.js';
import { withSitesService } from '../../src/sites/sites-context.module.js';
import { buildIfStale } from '../support/build.js';
import { alternate, benchSettings } from '../support/compare.js';
import { BENCH_HOST, firstCardPath, startStack, warmUp, withServers } from '../support/servers.js';

/**
 * A cached card page on a platform holding 3 sites versus the same page on one holding 500,
 * alternated in one run with one load generator: site resolution must cost the same however
 * many sites there are. Each platform is one web process (WEB_CONCURRENCY=1) over a database
 * of its own on the test profile's services, made for this run and dropped after it, so the
 * extra sites never land in a developer's database. The sites are made through the sites
 * service, as the CLI and the console make them.
 */
const MANY_SITES = 500;
const settings = benchSettings();
const run = randomBytes(3).toString('hex');

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`bench:sites: load average at start ${load()}`);

buildIfStale();
execFileSync('bash', ['scripts/services.sh', '--profile', 'test', 'up'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, APP_STAGE: 'test' },
});
const few = storesFor(`ecard_test_sites3_${run}`, 1);
const many = storesFor(`ecard_test_sites500_${run}`, 2);
try {
  prepare(few);
  prepare(many);
  await addSites(many, MANY_SITES);
  const stackEnv = { APP_STAGE: 'test', LOG_LEVEL: 'warn', QUEUE_DASHBOARD: 'false' };
  const [small, large] = await Promise.all([
    startStack({ ...stackEnv, ...few }),
    startStack({ ...stackEnv, ...many }),
  ]);
  await withServers([small, large], async () => {
    const { path } = await firstCardPath(small.url);
    for (const server of [small, large]) {
      await warmUp(`${server.url}${path}`);
      const page = await fetch(`${server.url}${path}`, { headers: { host: BENCH_HOST } });
      if (page.headers.get('x-cache') !== 'HIT')
        throw new Error(`${path} is not served from cache`);
    }
    const last = await fetch(`${large.url}/`, { headers: { host: hostOf(MANY_SITES - 3) } });
    if (last.status !== 200) throw new Error(`the 500-site platform does not serve its sites`);
    console.log(
      `bench:sites: ${path} on ${BENCH_HOST}, ${settings.rounds} rounds of ${settings.seconds} s, ${settings.connections} connections; "stack" holds ${MANY_SITES} sites, the baseline 3`,
    );
    const met = await alternate({
      name: 'bench:sites',
      baselineLabel: '3 sites',
      stackUrl: `${large.url}${path}`,
      baselineUrl: `${small.url}${path}`,
      host: BENCH_HOST,
      target: 0.95,
      ...settings,
    });
    process.exitCode = met ? 0 : 1;
  });
} finally {
  for (const stores of [few, many]) prepare(stores, ['--drop']);
  console.log(`bench:sites: load average at end ${load()}`);
}

interface Stores {
  DATABASE_URL: string;
  DATABASE_REPLICA_URLS: string;
  REDIS_URL: string;
  REDIS_CACHE_URL: string;
}

/** The test profile's servers (passwords from services.sh), with a database of this run's. */
function storesFor(database: string, redisOffset: number): Stores {
  const text = readFileSync(join('.data', 'test', 'credentials.env'), 'utf8');
  const secret = (name: string) => new RegExp(`^${name}=([A-Za-z0-9]+)`, 'm').exec(text)?.[1];
  const db = secret('DB_PASSWORD') ?? '';
  const redis = secret('REDIS_PASSWORD') ?? '';
  const redisDb = 1 + ((parseInt(run, 16) + redisOffset) % 15);
  return {
    DATABASE_URL: `mysql://ecard:${db}@127.0.0.1:23071/${database}`,
    DATABASE_REPLICA_URLS: `mysql://ecard:${db}@127.0.0.1:23072/${database}`,
    REDIS_URL: `redis://:${redis}@127.0.0.1:63801/${redisDb}`,
    REDIS_CACHE_URL: `redis://:${redis}@127.0.0.1:63802/${redisDb}`,
  };
}

/** Creates, migrates and seeds the database (the demo catalog and the three demo sites). */
function prepare(stores: Stores, args: string[] = []): void {
  execFileSync(
    process.execPath,
    ['--import', '@swc-node/register/esm-register', 'test/support/prepare-database.ts', ...args],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, APP_STAGE: 'test', LOG_LEVEL: 'warn', NODE_OPTIONS: '', ...stores },
    },
  );
}

function hostOf(n: number): string {
  return `p${String(n).padStart(3, '0')}.sites-bench.example`;
}

/** Partner sites up to `total`, each a copy of a demo partner on hostnames of its own. */
async function addSites(stores: Stores, total: number): Promise<void> {
  const config = loadConfig({ ...process.env, APP_STAGE: 'test', LOG_LEVEL: 'warn', ...stores });
  const started = performance.now();
  await withSitesService(config, async (sites) => {
    const partner = await sites.definition('kindred');
    for (let n = 1; n <= total - 3; n++) {
      const id = `p${String(n).padStart(3, '0')}`;
      await sites.put(
        {
          ...partner,
          id,
          name: `Partner ${id}`,
          hostnames: [hostOf(n), `${id}.sites-bench.localhost`],
          vars: { ...partner.vars, brandName: `Partner ${id}` },
        },
        { author: 'bench:sites', reason: 'a site among many' },
      );
    }
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`bench:sites: ${total - 3} sites saved through the sites service in ${seconds} s`);
}

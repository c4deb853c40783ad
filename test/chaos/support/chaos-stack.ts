import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import { Redis } from 'ioredis';
import { createDataSource } from '../../../src/platform/database/data-source.factory.js';
import {
  type LocalServicePasswords,
  readLocalServicePasswords,
} from '../../../src/config/local-services.js';
import { seedCatalog } from '../../../src/seed/seed-catalog.js';
import { closeConnection } from '../../../src/platform/redis/close-connection.js';

export type StoreName = 'primary' | 'replica' | 'redis' | 'redis-cache';

/** The passwords services.sh made for the chaos profile; read once it ran `up`. */
let passwords: LocalServicePasswords | null = null;
function chaosPasswords(): LocalServicePasswords {
  if (passwords === null) {
    const read = readLocalServicePasswords('.data/chaos');
    if (typeof read === 'string') throw new Error(read);
    passwords = read;
  }
  return passwords;
}

/** The chaos profile of scripts/services.sh: its own ports and data, nobody else's. */
export const CHAOS = {
  get primaryUrl() {
    return `mysql://ecard:${chaosPasswords().db}@127.0.0.1:23081/ecard_chaos`;
  },
  get replicaUrl() {
    return `mysql://ecard:${chaosPasswords().db}@127.0.0.1:23082/ecard_chaos`;
  },
  get redisUrl() {
    return `redis://:${chaosPasswords().redis}@127.0.0.1:63811`;
  },
  get redisCacheUrl() {
    return `redis://:${chaosPasswords().redis}@127.0.0.1:63812`;
  },
  replicaDependency: 'replica:127.0.0.1:23082',
};

export function services(...args: string[]): void {
  execFileSync('bash', ['scripts/services.sh', '--profile', 'chaos', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SERVICES_MANAGED: '1', APP_STAGE: '' },
  });
}

/** SIGKILL, as a crash or the OOM killer would: no shutdown, no flush beyond what is durable. */
export function killStore(name: StoreName): void {
  const pid = Number(readFileSync(`.data/chaos/run/${name}.pid`, 'utf8').trim());
  process.kill(pid, 'SIGKILL');
}

/** An empty, migrated and seeded database and empty Redis (queues and caches) for this run. */
export async function resetStores(): Promise<void> {
  const url = new URL(CHAOS.primaryUrl);
  const server = await createConnection({
    host: url.hostname,
    port: Number(url.port),
    user: 'ecard',
    password: chaosPasswords().db,
  });
  await server.query('DROP DATABASE IF EXISTS ecard_chaos');
  await server.query('CREATE DATABASE ecard_chaos');
  await server.end();
  const db = createDataSource({ url: CHAOS.primaryUrl, poolSize: 2, name: 'chaos-setup' });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await seedCatalog(db);
  await db.destroy();
  for (const url of [CHAOS.redisUrl, CHAOS.redisCacheUrl]) {
    const redis = new Redis(url);
    await redis.flushall();
    await closeConnection(redis);
  }
}

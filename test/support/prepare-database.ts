import { createConnection } from 'mysql2/promise';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { createDataSource } from '../../src/platform/database/data-source.factory.js';
import { createRedisClient } from '../../src/platform/redis/redis-client.js';
import { unlinkMatching } from '../../src/platform/redis/redis-keys.js';
import { seedCatalog } from '../../src/seed/seed-catalog.js';
import { importSitesRoot, withSitesService } from '../../src/sites/sites-context.module.js';
import { buildSources, TEST_BUILD_DIR } from './built-sources.js';
import { closeConnection } from '../../src/platform/redis/close-connection.js';
import { TEST_GENERATED_CARDS } from './test-catalog.js';

/**
 * The run's own database (its name comes from DATABASE_URL, set by global-setup.mjs): created,
 * migrated and seeded with the demo catalog; with --drop, removed again at the end of the run.
 * Run as a separate node process because jest's global setup cannot load ES module sources.
 */
async function prepareDatabase(drop: boolean): Promise<void> {
  const config = loadConfig({ ...process.env, APP_STAGE: 'test' });
  const url = new URL(config.database.primaryUrl);
  const database = url.pathname.slice(1);
  url.pathname = '/';
  const server = await createConnection(url.toString());
  if (!/^ecard_test[a-z0-9_]*$/.test(database)) throw new Error(`refusing to reset ${database}`);
  await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
  if (drop) {
    await server.end();
    await dropRunKeys(config);
    return;
  }
  await server.query(`CREATE DATABASE \`${database}\``);
  await server.end();

  const db = createDataSource({ url: config.database.primaryUrl, poolSize: 2, name: 'setup' });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await seedCatalog(db, { generatedCards: TEST_GENERATED_CARDS });
  await db.destroy();
  // The sites as `npm run seed` stores them, so every test serves them from the database.
  await withSitesService(config, (sites) => importSitesRoot(sites, config.paths.sites, 'seed'));
}

/**
 * The queues, sessions and counts the run kept under its own key prefix (see global-setup.mjs),
 * so runs do not pile up keys in the test Redis. Best effort: a Redis that went away leaves
 * them to expire or to the next `services.sh reset`.
 */
async function dropRunKeys(config: AppConfig): Promise<void> {
  const prefix = config.delivery.queuePrefix;
  if (!prefix.startsWith('ecard-test-')) return;
  const redis = createRedisClient(config.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    // With the keys of files that extend the run's prefix (`<prefix>-page-cache`).
    await unlinkMatching(redis, `${prefix}*`);
  } catch (error) {
    process.stderr.write(`left the run's Redis keys (${prefix}*): ${String(error)}\n`);
  } finally {
    await closeConnection(redis);
  }
}

const drop = process.argv.includes('--drop');
// The sources are built beside the database, for the tests that start the platform's own
// processes (see built-sources.ts).
Promise.all([prepareDatabase(drop), drop ? undefined : buildSources(TEST_BUILD_DIR)]).catch(
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

import { createConnection } from 'mysql2/promise';
import { loadConfig } from '../../src/config/app-config.js';
import { createDataSource } from '../../src/platform/database/data-source.factory.js';
import { seedCatalog } from '../../src/seed/seed-catalog.js';

/**
 * A fresh test database for each run: dropped, migrated and seeded with the demo catalog.
 * Run by the jest global setup as a separate node process (see global-setup.mjs).
 */
async function prepareDatabase(): Promise<void> {
  const config = loadConfig({ ...process.env, APP_STAGE: 'test' });
  const url = new URL(config.database.primaryUrl);
  const database = url.pathname.slice(1);
  url.pathname = '/';
  const server = await createConnection(url.toString());
  await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await server.query(`CREATE DATABASE \`${database}\``);
  await server.end();

  const db = createDataSource({ url: config.database.primaryUrl, poolSize: 2, name: 'setup' });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await seedCatalog(db);
  await db.destroy();
}

prepareDatabase().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

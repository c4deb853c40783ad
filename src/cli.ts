import { exitWithFailure } from './common/fatal.js';
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config.js';
import { isValidTag } from './platform/cache/cache-keys.js';
import { purgeFromCli } from './platform/cache/purge-context.module.js';
import { createDataSource } from './platform/database/data-source.factory.js';
import { catalogIsEmpty, seedCatalog } from './seed/seed-catalog.js';
import { SiteConfigError } from './sites/site-definition.js';

/** The release process and maintenance commands: `node dist/src/cli.js <command>`. */
const COMMANDS: Record<string, { about: string; run: (args: string[]) => Promise<void> }> = {
  migrate: { about: 'apply pending database migrations', run: migrate },
  seed: {
    about:
      'load the demo catalog (--cards N: plus N generated cards; --only-missing: add absent cards only; --if-empty: only into an empty catalog)',
    run: seed,
  },
  'cache:purge': {
    about: 'purge cached pages and data by tag in every process: all, home, card:<slug>...',
    run: purgeCache,
  },
  'sites:import': {
    about: 'create or update a site from a folder in the sites/<id>/ format, live everywhere',
    run: importSite,
  },
  'sites:export': {
    about: "write a site's stored definition to <folder>/site.json (sites:export <id> <folder>)",
    run: exportSite,
  },
  'requeue-failed': {
    about: 'send failed recipients again (a worker must be running)',
    run: requeue,
  },
  'partners:operator': {
    about: 'make <email> a partner console operator and print its one-time set-password link',
    run: partnerOperator,
  },
};

/** A mistake in how the command was called: reported without a stack trace. */
class UsageError extends Error {}

function print(message: string): void {
  process.stdout.write(`${message}\n`);
}

async function withPrimary<T>(
  fn: (db: ReturnType<typeof createDataSource>) => Promise<T>,
): Promise<T> {
  const config = loadConfig(process.env);
  const db = createDataSource({ url: config.database.primaryUrl, poolSize: 2, name: 'primary' });
  await db.initialize();
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

async function migrate(): Promise<void> {
  await withPrimary(async (db) => {
    const applied = await db.runMigrations({ transaction: 'each' });
    print(
      applied.length === 0
        ? 'migrate: schema is up to date'
        : `migrate: applied ${applied.map((m) => m.name).join(', ')}`,
    );
  });
}

async function seed(args: string[]): Promise<void> {
  const generatedCards = cardCountOf(args);
  await withPrimary(async (db) => {
    if (args.includes('--if-empty') && !(await catalogIsEmpty(db))) {
      print('seed: catalog already has cards, left as is');
      return;
    }
    const startedAt = performance.now();
    const report = await seedCatalog(db, {
      generatedCards,
      onlyMissing: args.includes('--only-missing'),
    });
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    print(`seed: ${report.occasions} occasions and ${report.cards} cards written in ${seconds} s`);
  });
  await seedSites();
}

/** The flagship and demo partners from sites/: a site already as its folder says is left as is. */
async function seedSites(): Promise<void> {
  const config = loadConfig(process.env);
  const { importSitesRoot, withSitesService } = await import('./sites/sites-context.module.js');
  const saved = await withSitesService(config, (sites) =>
    importSitesRoot(sites, config.paths.sites, 'seed'),
  );
  for (const s of saved) {
    print(`seed: site ${s.site.id} ${s.changed ? `saved as version ${s.revision}` : 'unchanged'}`);
  }
}

async function importSite(args: string[]): Promise<void> {
  const [folder] = args;
  if (!folder || args.length !== 1) throw new UsageError('usage: sites:import <folder>');
  const { importSiteFolder, withSitesService } = await import('./sites/sites-context.module.js');
  const { readSiteFolder } = await import('./sites/site-folder.js');
  // A bad folder is refused before any store is connected to, so its problems print alone.
  readSiteFolder(folder);
  const saved = await withSitesService(loadConfig(process.env), (sites) =>
    importSiteFolder(sites, folder, `cli:${process.env.USER ?? 'operator'}`),
  );
  print(
    saved.changed
      ? `sites:import: ${saved.site.id} saved as version ${saved.revision}, live on ${saved.site.hostnames.join(', ')}`
      : `sites:import: ${saved.site.id} unchanged (version ${saved.revision})`,
  );
}

async function exportSite(args: string[]): Promise<void> {
  const [id, folder] = args;
  if (!id || !folder || args.length !== 2) {
    throw new UsageError('usage: sites:export <id> <folder>');
  }
  const { exportSiteFolder, withSitesService } = await import('./sites/sites-context.module.js');
  const file = await withSitesService(loadConfig(process.env), (sites) =>
    exportSiteFolder(sites, id, folder),
  );
  print(`sites:export: ${id} written to ${file}`);
}

/** `--cards N`: how many generated cards to add to the hand-written ones. */
function cardCountOf(args: string[]): number {
  const at = args.indexOf('--cards');
  if (at === -1) return 0;
  const raw = args[at + 1] ?? '';
  if (!/^[0-9]{1,6}$/.test(raw)) {
    throw new UsageError(`seed --cards needs a number of cards up to 999999 (got "${raw}")`);
  }
  return Number(raw);
}

async function purgeCache(tags: string[]): Promise<void> {
  const invalid = tags.filter((t) => !isValidTag(t));
  if (tags.length === 0 || invalid.length > 0) {
    throw new UsageError(
      `cache:purge needs tags such as all, home, listings, site:<id>, card:<slug>, occasion:<slug>${
        invalid.length > 0 ? ` (not a tag: ${invalid.join(', ')})` : ''
      }`,
    );
  }
  const purged = await purgeFromCli(loadConfig(process.env), tags);
  print(`cache:purge: purged ${purged.join(' ')}`);
}

async function requeue(): Promise<void> {
  const { requeueFailed } = await import('./delivery/requeue-failed.module.js');
  const count = await requeueFailed(loadConfig(process.env));
  print(`requeue-failed: ${count} recipient${count === 1 ? '' : 's'} back in the queue`);
}

async function partnerOperator(args: string[]): Promise<void> {
  const [email] = args;
  if (!email || args.length !== 1) throw new UsageError('usage: partners:operator <email>');
  const { operatorLink, OperatorRefused } = await import('./partners/operator-cli.module.js');
  try {
    const link = await operatorLink(loadConfig(process.env), email);
    print(
      `partners:operator: ${email} is an operator; choose a password (once, within 3 days) at\n${link}`,
    );
  } catch (error) {
    if (error instanceof OperatorRefused) throw new UsageError(error.message);
    throw error;
  }
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    print('usage: cli <command>\n');
    for (const [key, value] of Object.entries(COMMANDS))
      print(`  ${key.padEnd(15)} ${value.about}`);
    process.exit(name ? 2 : 0);
  }
  await command.run(args);
}

main().catch((error: unknown) =>
  exitWithFailure(
    error,
    (e) => e instanceof ConfigError || e instanceof UsageError || e instanceof SiteConfigError,
  ),
);

import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { resolve } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { CacheModule } from '../platform/cache/cache.module.js';
import { DatabaseModule } from '../platform/database/database.module.js';
import { RedisModule } from '../platform/redis/redis.module.js';
import { readSiteFolder, readSitesRoot, writeSiteFolder } from './site-folder.js';
import { SitesAdminModule } from './sites-admin.module.js';
import { type SiteSaved, SitesService } from './sites.service.js';
import { SitesModule } from './sites.module.js';

@Module({})
class SitesContextModule {}

/**
 * The sites service outside a web process (the CLI, seeding): the same code path the console
 * uses, so a site saved here is validated, versioned, announced and purged the same way.
 */
export async function withSitesService<T>(
  config: AppConfig,
  work: (sites: SitesService) => Promise<T>,
): Promise<T> {
  const context = await NestFactory.createApplicationContext(
    {
      module: SitesContextModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        CacheModule,
        SitesModule,
        SitesAdminModule,
      ],
    },
    { logger: ['error', 'warn'], abortOnError: false },
  );
  try {
    return await work(context.get(SitesService));
  } finally {
    await context.close();
  }
}

/** Creates or updates the site in `dir` (a folder in the `sites/<id>/` format). */
export async function importSiteFolder(
  sites: SitesService,
  dir: string,
  author: string,
): Promise<SiteSaved> {
  const definition = readSiteFolder(dir);
  return sites.put(definition, { author, reason: `imported from ${resolve(dir)}` });
}

/** Every folder under the sites root (the flagship and demo partners), one save each. */
export async function importSitesRoot(
  sites: SitesService,
  root: string,
  author: string,
): Promise<SiteSaved[]> {
  const saved: SiteSaved[] = [];
  for (const definition of readSitesRoot(root)) {
    saved.push(await sites.put(definition, { author, reason: `imported from ${root}/` }));
  }
  return saved;
}

/** Writes the site's stored definition as `dir/site.json`; returns the file written. */
export async function exportSiteFolder(
  sites: SitesService,
  id: string,
  dir: string,
): Promise<string> {
  return writeSiteFolder(dir, await sites.definition(id));
}

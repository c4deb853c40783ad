import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SiteRegistry } from './site-registry.js';
import { SiteSync } from './site-sync.service.js';
import { SitesRepository } from './sites.repository.js';

/**
 * The sites every process serves: the registry starts from the `sites/` folders and SiteSync
 * makes it the database's sites at boot and keeps it so.
 */
@Module({
  providers: [
    {
      provide: SiteRegistry,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => SiteRegistry.load(config),
    },
    SitesRepository,
    SiteSync,
  ],
  exports: [SiteRegistry, SitesRepository, SiteSync],
})
export class SitesModule {}

import { Module } from '@nestjs/common';
import { CacheModule } from '../platform/cache/cache.module.js';
import { SitesService } from './sites.service.js';
import { SitesModule } from './sites.module.js';

/**
 * Changing sites (the CLI's import, and the partner console): needs the cache purger, which
 * only processes that hold cached pages have; reading sites is SitesModule's, in every process.
 */
@Module({
  imports: [SitesModule, CacheModule],
  providers: [SitesService],
  exports: [SitesService],
})
export class SitesAdminModule {}

import { Module } from '@nestjs/common';
import { SitesService } from './sites.service.js';

/**
 * Changing sites (the CLI's import, and the partner console): needs the cache purger, which
 * only processes that hold cached pages have; reading sites is SitesModule's, in every process.
 */
@Module({
  providers: [SitesService],
  exports: [SitesService],
})
export class SitesAdminModule {}

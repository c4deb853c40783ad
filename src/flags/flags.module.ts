import { Module } from '@nestjs/common';
import { FeatureFlags } from './feature-flags.service.js';
import { FlagStore } from './flag-store.service.js';
import { FlagsRepository } from './flags.repository.js';
import { SitesModule } from '../sites/sites.module.js';

/**
 * Flag evaluation for any process (web and worker): the store kept in sync with MariaDB and
 * Redis, and the OpenFeature client over it. A feature that asks for `FeatureFlags` imports
 * this module.
 */
@Module({
  imports: [SitesModule],
  providers: [FlagsRepository, FlagStore, FeatureFlags],
  exports: [FeatureFlags, FlagStore, FlagsRepository],
})
export class FlagsModule {}

import { Global, Module } from '@nestjs/common';
import { FeatureFlags } from './feature-flags.service.js';
import { FlagStore } from './flag-store.service.js';
import { FlagsRepository } from './flags.repository.js';

/**
 * Flag evaluation for any process (web and worker): the store kept in sync with MariaDB and
 * Redis, and the OpenFeature client over it. Global, so a feature asks for `FeatureFlags`
 * without importing this module.
 */
@Global()
@Module({
  providers: [FlagsRepository, FlagStore, FeatureFlags],
  exports: [FeatureFlags, FlagStore, FlagsRepository],
})
export class FlagsModule {}

import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SiteRegistry } from './site-registry.js';

@Module({
  providers: [
    {
      provide: SiteRegistry,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => SiteRegistry.load(config),
    },
  ],
  exports: [SiteRegistry],
})
export class SitesModule {}

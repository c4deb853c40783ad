import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccountsModule } from './accounts/accounts.module.js';
import { AdminModule } from './admin/admin.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DeliveryWebModule } from './delivery/delivery-web.module.js';
import { AutopilotModule } from './flags/autopilot/autopilot.module.js';
import { FlagsModule } from './flags/flags.module.js';
import { GreetingsModule } from './greetings/greetings.module.js';
import { HealthModule } from './health/health.module.js';
import { AppExceptionFilter } from './http/exception.filter.js';
import { ObservabilityModule } from './platform/observability/observability.module.js';
import { CacheModule } from './platform/cache/cache.module.js';
import { DatabaseModule } from './platform/database/database.module.js';
import { RedisModule } from './platform/redis/redis.module.js';
import { ResilienceModule } from './platform/resilience/resilience.module.js';
import { RenderingModule } from './rendering/rendering.module.js';
import { PartnersModule } from './partners/partners.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SecurityModule } from './security/security.module.js';
import { SitesModule } from './sites/sites.module.js';
import { SitesAdminModule } from './sites/sites-admin.module.js';
import { WebWatchdogModule } from './ops/web-watchdog.module.js';
import type { Logger } from 'pino';

/** The web process: every HTTP-facing feature over the shared platform modules. */
@Module({})
export class AppModule {
  /** `logger` is the process's root logger; the standby watchdog writes its alerts with it. */
  static forRoot(config: AppConfig, logger?: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        ResilienceModule,
        CacheModule,
        SitesModule,
        FlagsModule,
        RenderingModule,
        SecurityModule,
        CatalogModule,
        GreetingsModule,
        DeliveryWebModule,
        HealthModule,
        ObservabilityModule,
        AdminModule,
        AutopilotModule,
        SitesAdminModule,
        AccountsModule,
        ReportsModule,
        PartnersModule,
        ...(config.ops.watchdog.inWeb && logger ? [WebWatchdogModule.forRoot(logger)] : []),
      ],
      providers: [{ provide: APP_FILTER, useClass: AppExceptionFilter }],
    };
  }
}

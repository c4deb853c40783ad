import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AbuseLimiter } from './abuse-limiter.js';
import { AdminSessions } from './admin-sessions.js';
import { ApiSendGuard } from './api-send-guard.js';
import { CatalogMissBudget } from './catalog-miss-budget.js';
import { FormGuard } from './form-guard.js';
import { FormTokens } from './form-tokens.js';
import { SitesModule } from '../sites/sites.module.js';

/** Rate limits, form tokens and admin sessions, shared by the send form, the API and the edge hooks. */
@Module({
  imports: [SitesModule],
  providers: [
    AbuseLimiter,
    AdminSessions,
    ApiSendGuard,
    CatalogMissBudget,
    FormGuard,
    {
      provide: FormTokens,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new FormTokens(config.pickupTokenSecret),
    },
  ],
  exports: [AbuseLimiter, AdminSessions, ApiSendGuard, CatalogMissBudget, FormTokens, FormGuard],
})
export class SecurityModule {}

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
import { ProofOfWork } from './proof-of-work.js';
import { SiteApiKeyRow } from './site-api-key.entity.js';
import { SiteApiKeys } from './site-api-keys.js';
import { DatabaseModule } from '../platform/database/database.module.js';

/** Rate limits, form tokens, the proof-of-work challenge admin sessions and site-bound API keys, shared by the send form, the API and the edge hooks. */
@Module({
  imports: [SitesModule, DatabaseModule.forFeature([SiteApiKeyRow])],
  providers: [
    AbuseLimiter,
    AdminSessions,
    ApiSendGuard,
    CatalogMissBudget,
    FormGuard,
    ProofOfWork,
    SiteApiKeys,
    {
      provide: FormTokens,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new FormTokens(config.pickupTokenSecret),
    },
  ],
  exports: [
    AbuseLimiter,
    AdminSessions,
    ApiSendGuard,
    CatalogMissBudget,
    FormTokens,
    FormGuard,
    ProofOfWork,
    SiteApiKeys,
  ],
})
export class SecurityModule {}

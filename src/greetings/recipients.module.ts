import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { GreetingSpool } from './greeting-spool.js';
import { GreetingsRepository } from './greetings.repository.js';
import { RecipientLifecycle } from './recipient-lifecycle.service.js';
import { RecipientsRepository } from './recipients.repository.js';
import { ReportFacts } from '../reports/report-facts.repository.js';
import { SignedLinks } from './signed-links.js';

/**
 * The greeting data without any HTTP: what the worker process needs (recipient lifecycle,
 * signed links) and what the web-facing GreetingsModule builds on. The repositories are
 * exported for GreetingsModule, the other half of this feature; other features use the services.
 */
@Module({
  imports: [QueueModule],
  providers: [
    GreetingsRepository,
    RecipientsRepository,
    RecipientLifecycle,
    GreetingSpool,
    ReportFacts,
    {
      provide: SignedLinks,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SignedLinks(config.pickupTokenSecret),
    },
  ],
  exports: [
    GreetingsRepository,
    RecipientsRepository,
    RecipientLifecycle,
    GreetingSpool,
    SignedLinks,
    ReportFacts,
  ],
})
export class RecipientsModule {}

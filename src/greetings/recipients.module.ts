import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { CATALOG_ENTITIES } from '../catalog/catalog.module.js';
import { DatabaseModule } from '../platform/database/database.module.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { GreetingRecipient } from './greeting-recipient.entity.js';
import { Greeting } from './greeting.entity.js';
import { GreetingSpool } from './greeting-spool.js';
import { GreetingsRepository } from './greetings.repository.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { RecipientLifecycle } from './recipient-lifecycle.service.js';
import { RecipientsRepository } from './recipients.repository.js';
import { ReportFacts } from '../reports/report-facts.js';
import { SignedLinks } from './signed-links.js';

/** The greetings' tables; the outbox is written in a send's own transaction. */
export const GREETING_ENTITIES = [Greeting, GreetingRecipient, OutboxMessage];

/**
 * The greeting data without any HTTP: what the worker process needs (recipient lifecycle,
 * signed links) and what the web-facing GreetingsModule builds on. The repositories are
 * exported for GreetingsModule, the other half of this feature; other features use the services.
 */
@Module({
  // A greeting's foreign key names its card, so the catalog's tables are mapped with ours.
  imports: [QueueModule, DatabaseModule.forFeature([...CATALOG_ENTITIES, ...GREETING_ENTITIES])],
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

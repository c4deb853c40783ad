import { type DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { FlagsModule } from '../flags/flags.module.js';
import { OutboxModule } from '../greetings/outbox.module.js';
import { RecipientsModule } from '../greetings/recipients.module.js';
import { DatabaseModule } from '../platform/database/database.module.js';
import { MailModule } from '../platform/mail/mail.module.js';
import { PhotosModule } from '../platform/photos/photos.module.js';
import { JOB_HANDLERS } from '../platform/queue/job-handler.js';
import { jobWorkersFor } from '../platform/queue/job-workers.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { RedisModule } from '../platform/redis/redis.module.js';
import { ResilienceModule } from '../platform/resilience/resilience.module.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { PersonalDataRetention } from '../security/personal-data-retention.js';
import { ReportRollupHandler } from '../reports/report-rollup.handler.js';
import { SitesModule } from '../sites/sites.module.js';
import { DkimKeyringModule } from '../sites/site-dkim.module.js';
import { AccountEmailHandler } from '../accounts/account-email.handler.js';
import { MembersModule } from '../accounts/members.module.js';
import {
  MemberReminderScanHandler,
  SendMemberReminderHandler,
} from '../accounts/reminders/member-reminders.handler.js';
import { MemberRemindersModule } from '../accounts/reminders/reminders.module.js';
import { CatalogModule } from '../catalog/catalog.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { PartnerEmailHandler } from '../partners/partner-email.handler.js';
import { PartnerPeopleModule } from '../partners/partner-people.module.js';
import { BounceListener } from './bounces/bounce-listener.js';
import { BounceRecorder } from './bounces/bounce-recorder.service.js';
import { BounceReportsRepository } from './bounces/bounce-reports.repository.js';
import { DeliverGreetingHandler } from './deliver-greeting.handler.js';
import { DeliveryRunner } from './delivery-runner.js';
import { EmailComposerModule } from './email-composer.module.js';
import { NoticeMailer } from './notice-mailer.js';
import { ReminderScanHandler, SendReminderHandler } from './reminders.handler.js';
import { SenderOpenedHandler, SenderScheduledHandler } from './sender-notices.handler.js';
import { SuppressionsRepository } from './suppressions.repository.js';

const HANDLERS = [
  DeliverGreetingHandler,
  SenderScheduledHandler,
  SenderOpenedHandler,
  ReminderScanHandler,
  SendReminderHandler,
  PersonalDataRetention,
  AccountEmailHandler,
  ReportRollupHandler,
  MemberReminderScanHandler,
  SendMemberReminderHandler,
  PartnerEmailHandler,
];

/** The worker process: outbox relay, queue processors and the reminder schedule. No HTTP. */
@Module({})
export class DeliveryWorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    const jobWorkers = jobWorkersFor(config);
    return {
      module: DeliveryWorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        ResilienceModule,
        QueueModule,
        PhotosModule,
        SitesModule,
        DkimKeyringModule,
        FlagsModule,
        RenderingModule,
        MailModule,
        RecipientsModule,
        OutboxModule,
        IdentityModule,
        MembersModule,
        MemberRemindersModule,
        CatalogModule,
        PartnerPeopleModule,
        EmailComposerModule,
        ...jobWorkers.imports,
      ],
      providers: [
        SuppressionsRepository,
        NoticeMailer,
        ...HANDLERS,
        {
          provide: JOB_HANDLERS,
          inject: HANDLERS,
          useFactory: (...handlers: unknown[]) => handlers,
        },
        ...jobWorkers.providers,
        BounceReportsRepository,
        BounceRecorder,
        BounceListener,
        DeliveryRunner,
      ],
    };
  }
}

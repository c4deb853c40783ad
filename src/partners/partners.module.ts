import { Module } from '@nestjs/common';
import { CatalogModule } from '../catalog/catalog.module.js';
import { EmailComposerModule } from '../delivery/email-composer.module.js';
import { FlagsModule } from '../flags/flags.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { QueueModule } from '../platform/queue/queue.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { RenderingModule } from '../rendering/rendering.module.js';
import { SecurityModule } from '../security/security.module.js';
import { SitesAdminModule } from '../sites/sites-admin.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { SiteDkimModule } from '../sites/site-dkim.module.js';
import { AuditRepository } from './audit.repository.js';
import { ConsoleAccess } from './console-access.js';
import { ConsoleReportReaders } from './console-report-readers.js';
import { HostnamesRepository } from './hostnames.repository.js';
import { PartnerApiKeysController } from './partner-api-keys.controller.js';
import { PartnerApiKeys } from './partner-api-keys.service.js';
import { DatabaseModule } from '../platform/database/database.module.js';
import { PartnerLogos } from './partner-logos.service.js';
import { SiteLogo } from './site-logo.entity.js';
import { SiteLogosController } from './site-logos.controller.js';
import { SiteLogosRepository } from './site-logos.repository.js';
import { PartnerAuth } from './partner-auth.service.js';
import { PartnerHostnames } from './partner-hostnames.service.js';
import { PartnerConsoleController } from './partner-console.controller.js';
import { PartnerConsole } from './partner-console.service.js';
import { PartnerEntryController } from './partner-entry.controller.js';
import { PartnerPages } from './partner-pages.js';
import { PartnerPeopleModule } from './partner-people.module.js';
import { PartnerSessions } from './partner-sessions.js';
import { PartnerPreviewController } from './partner-preview.controller.js';
import { PartnerEmailPreviewController } from './partner-email-preview.controller.js';
import { PreviewSamples } from './preview-samples.js';
import { PartnerReportsController } from './partner-reports.controller.js';
import { PartnerSitesController } from './partner-sites.controller.js';
import { PartnerSendingController } from './partner-sending.controller.js';
import { PartnerSending } from './partner-sending.service.js';
import { PartnersRepository } from './partners.repository.js';

/** The partner console at /partner on the admin host: people, roles, audit, site editing. */
@Module({
  imports: [
    IdentityModule,
    QueueModule,
    SecurityModule,
    RenderingModule,
    SitesModule,
    SitesAdminModule,
    SiteDkimModule,
    CatalogModule,
    FlagsModule,
    PartnerPeopleModule,
    ReportsModule,
    EmailComposerModule,
    DatabaseModule.forFeature([SiteLogo]),
  ],
  controllers: [
    PartnerEntryController,
    PartnerConsoleController,
    PartnerSitesController,
    PartnerPreviewController,
    PartnerEmailPreviewController,
    PartnerReportsController,
    PartnerApiKeysController,
    PartnerSendingController,
    SiteLogosController,
  ],
  providers: [
    PartnerAuth,
    PartnerConsole,
    PartnerPages,
    PartnerSessions,
    ConsoleAccess,
    ConsoleReportReaders,
    PartnersRepository,
    AuditRepository,
    HostnamesRepository,
    PartnerHostnames,
    PartnerApiKeys,
    PartnerSending,
    PartnerLogos,
    PreviewSamples,
    SiteLogosRepository,
  ],
  exports: [PartnerHostnames],
})
export class PartnersModule {}

import { Module } from '@nestjs/common';
import { RenderingModule } from '../rendering/rendering.module.js';
import { SecurityModule } from '../security/security.module.js';
import { SitesModule } from '../sites/sites.module.js';
import { ReportReaderGuard } from './report-reader.guard.js';
import { ReportReaderSources } from './report-reader-sources.js';
import { ReportTrafficWriter } from './report-traffic-writer.js';
import { ReportsApiController } from './reports-api.controller.js';
import { ReportsPageController } from './reports-page.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

/**
 * Reports in the web process: the report page and API over the aggregates, and the page
 * traffic this process counts. The roll-up runs in the worker (ReportRollupHandler); facts
 * are recorded by ReportFacts where outcomes happen.
 */
@Module({
  imports: [SitesModule, RenderingModule, SecurityModule],
  controllers: [ReportsPageController, ReportsApiController],
  providers: [
    ReportsRepository,
    ReportsService,
    ReportTrafficWriter,
    ReportReaderGuard,
    ReportReaderSources,
  ],
  exports: [ReportTrafficWriter, ReportsService, ReportReaderSources],
})
export class ReportsModule {}

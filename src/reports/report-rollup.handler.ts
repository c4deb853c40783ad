import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DatabaseService } from '../platform/database/database.service.js';
import type { JobHandler } from '../platform/queue/job-handler.js';
import { pruneReportFacts, rollUpReports } from './report-rollup.js';

const DAY_MS = 86_400_000;

/**
 * The worker's roll-up schedule: facts into hourly and daily aggregates, then facts past the
 * retention period removed (their hours are final; the aggregates stay). Idempotent, so a
 * replayed or overlapping run changes nothing.
 */
@Injectable()
export class ReportRollupHandler implements JobHandler<'roll-up-reports'> {
  readonly job = 'roll-up-reports';
  private readonly logger = new Logger('Reports');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
  ) {}

  async handle(): Promise<void> {
    const now = new Date();
    const { hours } = await rollUpReports(this.db.writer(), now);
    const before = new Date(now.getTime() - this.config.security.retention.days * DAY_MS);
    let pruned = 0;
    let batch: number;
    do {
      batch = await pruneReportFacts(this.db.writer(), before);
      pruned += batch;
    } while (batch > 0);
    this.logger.debug(`reports rolled up: ${hours} hours, ${pruned} old facts removed`);
  }
}

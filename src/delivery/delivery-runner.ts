import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { JobQueues } from '../platform/queue/job-queues.js';
import { JobWorkers } from '../platform/queue/job-workers.js';
import { QUEUES } from '../platform/queue/jobs.js';
import { OutboxRelay } from '../greetings/outbox-relay.service.js';
import { SpoolDrainer } from '../greetings/spool-drainer.service.js';
import { ReminderSchedules } from '../accounts/reminders/reminder-schedules.js';

/** Starts and stops the worker process's moving parts in a safe order. */
@Injectable()
export class DeliveryRunner {
  private readonly logger = new Logger('Worker');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly relay: OutboxRelay,
    private readonly workers: JobWorkers,
    private readonly queues: JobQueues,
    private readonly spool: SpoolDrainer,
    private readonly memberReminders: ReminderSchedules,
  ) {}

  async start(): Promise<void> {
    this.workers.start();
    this.relay.start();
    this.spool.start();
    await this.scheduleReminderScan();
  }

  /** Stop feeding the queues, then stop taking jobs and let running ones finish. */
  async stop(): Promise<void> {
    await this.spool.stop();
    await this.relay.stop();
    await this.workers.stop();
  }

  /** One schedule for every worker (BullMQ keeps it by id), so scans do not multiply. */
  private async scheduleReminderScan(attempt = 1): Promise<void> {
    try {
      await this.queues.use(QUEUES.notifications, (q) =>
        q.upsertJobScheduler(
          'scan-reminders',
          { every: this.config.delivery.reminderScanMs },
          { name: 'scan-reminders', data: {}, opts: { attempts: 1 } },
        ),
      );
      await this.queues.use(QUEUES.notifications, (q) =>
        q.upsertJobScheduler(
          'purge-personal-data',
          { every: this.config.security.retention.scanMs },
          { name: 'purge-personal-data', data: {}, opts: { attempts: 1 } },
        ),
      );
      await this.queues.use(QUEUES.notifications, (q) =>
        q.upsertJobScheduler(
          'roll-up-reports',
          { every: this.config.reports.rollupMs },
          { name: 'roll-up-reports', data: {}, opts: { attempts: 1 } },
        ),
      );
      // Members' reminders: one daily schedule per site and time zone in use.
      await this.memberReminders.ensureAll();
    } catch (error) {
      // Redis may be away at boot: keep trying in the background, the worker runs meanwhile.
      if (attempt === 1) {
        this.logger.warn(`reminder scan not scheduled yet: ${(error as Error).message}`);
      }
      setTimeout(() => void this.scheduleReminderScan(attempt + 1), 5000).unref();
    }
  }
}

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ReportTraffic, type TrafficRow } from './report-traffic.js';
import { ReportsRepository } from './reports.repository.js';

/** Rows kept for the next write while the primary is away; beyond it the oldest are dropped. */
const MAX_HELD_ROWS = 20_000;

/**
 * Writes the page traffic this web process counted, every REPORT_FLUSH_SECONDS, as additions to
 * the hourly rows. A failed write is held for the next one, within a bound.
 */
@Injectable()
export class ReportTrafficWriter implements OnModuleInit, OnApplicationShutdown {
  readonly traffic = new ReportTraffic();
  private readonly logger = new Logger('Reports');
  private held: TrafficRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reports: ReportsRepository,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.reports.flushMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** Writes what was counted so far; concurrent calls share one write. */
  flush(): Promise<void> {
    this.writing ??= this.write().finally(() => {
      this.writing = null;
    });
    return this.writing;
  }

  private async write(): Promise<void> {
    const rows = [...this.held, ...this.traffic.drain()];
    this.held = [];
    if (rows.length === 0) return;
    try {
      await this.reports.addTraffic(rows);
    } catch (error) {
      this.held = rows.slice(-MAX_HELD_ROWS);
      this.logger.warn(`page traffic not written yet: ${(error as Error).message}`);
    }
  }
}

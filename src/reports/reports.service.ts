import { Injectable } from '@nestjs/common';
import { SiteRegistry } from '../sites/site-registry.js';
import { type Peak, PEAK_METRICS, peaksOf, type SiteReport, siteReportOf } from './report-model.js';
import type { ReportRange } from './report-range.js';
import { ReportsRepository } from './reports.repository.js';

const DAY_MS = 86_400_000;

export interface OperatorReport {
  from: string;
  to: string;
  sites: SiteReport[];
  peaks: Peak[];
}

/** Reports from the aggregate tables only: a site's, or every site's side by side. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly registry: SiteRegistry,
  ) {}

  siteIds(): string[] {
    return this.registry.sites.map((s) => s.id);
  }

  async siteReport(siteId: string, range: ReportRange): Promise<SiteReport> {
    const rows = await this.reports.daily([siteId], range.from, range.to);
    return siteReportOf(siteId, range.from, range.to, rows);
  }

  async operatorReport(range: ReportRange): Promise<OperatorReport> {
    const ids = this.siteIds();
    const from = new Date(`${range.from}T00:00:00Z`);
    const to = new Date(Date.parse(`${range.to}T00:00:00Z`) + DAY_MS);
    const [daily, hourly] = await Promise.all([
      this.reports.daily(ids, range.from, range.to),
      this.reports.hourly(
        ids,
        from,
        to,
        PEAK_METRICS.map((m) => m.key),
      ),
    ]);
    return {
      from: range.from,
      to: range.to,
      sites: ids.map((id) => siteReportOf(id, range.from, range.to, daily)),
      peaks: peaksOf(hourly),
    };
  }
}

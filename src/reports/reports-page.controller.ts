import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AdminPageGuard } from '../admin/admin-page.guard.js';
import { AssetManifest } from '../assets/asset-manifest.js';
import { NotFoundError, ValidationFailed } from '../common/domain-errors.js';
import { SiteViews } from '../rendering/site-views.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { OPERATOR_TABLES, SITE_TABLES } from './report-csv.js';
import { DELAY_BOUNDS_MS, LATENCY_BOUNDS_MS } from './report-outcomes.js';
import { boundLabel, DAILY_SERIES, type SiteReport } from './report-model.js';
import { type ReportRange, reportRangeOf } from './report-range.js';
import { ALL_SITES, sendReport } from './report-responses.js';
import { reportFileOf } from './reports-api.controller.js';
import { ReportsService } from './reports.service.js';
import { ADMIN_PAGE, RoutePolicy } from '../http/edge/route-policy.js';

/** What the chart script draws: one line per series over the days (JSON in the page). */
interface ChartData {
  days: string[];
  series: { label: string; values: number[] }[];
}

function dailyChart(report: SiteReport): ChartData {
  return {
    days: report.days.map((d) => d.day),
    series: DAILY_SERIES.map((s, i) => ({
      label: s.label,
      values: report.days.map((d) => d.values[i] ?? 0),
    })),
  };
}

function sendsBySiteChart(reports: SiteReport[]): ChartData {
  return {
    days: reports[0]?.days.map((d) => d.day) ?? [],
    series: reports.map((r) => ({
      label: `Sends, ${r.siteId}`,
      values: r.days.map((d) => d.values[0] ?? 0),
    })),
  };
}

/**
 * The report page behind the admin login: `/admin/reports?site=&from=&to=` shows a site's
 * report, `site=all` (the default) every site side by side with the platform's objectives and
 * peaks. Every figure is in a table, so the page is whole without its script; the chart is
 * drawn from the same figures. `/admin/reports/<site>.csv?table=` downloads each table.
 */
@RoutePolicy(ADMIN_PAGE)
@Controller('admin/reports')
@UseGuards(AdminPageGuard)
export class ReportsPageController {
  constructor(
    private readonly reports: ReportsService,
    private readonly views: SiteViews,
    private readonly registry: SiteRegistry,
    private readonly assets: AssetManifest,
  ) {}

  @Get()
  async show(@Query() query: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const siteParam = typeof query.site === 'string' && query.site !== '' ? query.site : ALL_SITES;
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    const fields = { site: siteParam, from: text(query.from), to: text(query.to) };
    const errors: { field: string; message: string }[] = [];
    if (siteParam !== ALL_SITES && !this.registry.get(siteParam)) {
      errors.push({ field: 'site', message: `there is no site "${siteParam}"` });
    }
    let range: ReportRange | null = null;
    try {
      range = reportRangeOf(query);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      errors.push(...error.errors);
    }
    if (errors.length > 0 || range === null) {
      await this.render(reply, 400, { fields, errors });
      return;
    }
    const shown = { site: siteParam, from: range.from, to: range.to };
    const csv = (table: string) =>
      `/admin/reports/${siteParam}.csv?from=${range.from}&to=${range.to}&table=${table}`;
    if (siteParam === ALL_SITES) {
      const report = await this.reports.operatorReport(range);
      await this.render(reply, 200, {
        fields: shown,
        operator: report,
        chart: sendsBySiteChart(report.sites),
        csv: Object.fromEntries(OPERATOR_TABLES.map((t) => [t, csv(t)])),
      });
      return;
    }
    const report = await this.reports.siteReport(siteParam, range);
    await this.render(reply, 200, {
      fields: shown,
      report,
      chart: dailyChart(report),
      csv: Object.fromEntries(SITE_TABLES.map((t) => [t, csv(t)])),
    });
  }

  /** A table of the report as a CSV download, for the signed-in browser. */
  @Get(':file')
  async download(
    @Param('file') file: string,
    @Query() query: Record<string, unknown>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const wanted = reportFileOf(file);
    if (
      !wanted ||
      wanted.format !== 'csv' ||
      (wanted.siteId !== ALL_SITES && !this.registry.get(wanted.siteId))
    ) {
      throw new NotFoundError('page');
    }
    await sendReport(reply, this.reports, wanted.siteId, reportRangeOf(query), 'csv', query.table);
  }

  private async render(reply: FastifyReply, status: number, model: Record<string, unknown>) {
    const html = this.views.renderNeutral('admin/reports.njk', {
      ...model,
      sites: this.registry.sites.map((s) => ({ id: s.id, name: s.name })),
      allSites: ALL_SITES,
      series: DAILY_SERIES,
      delayLabel: (le: number | null) => boundLabel(le, DELAY_BOUNDS_MS),
      latencyLabel: (le: number | null) => boundLabel(le, LATENCY_BOUNDS_MS),
      chartScript: this.assets.url('base', 'js/report-chart.js'),
      uplotScript: this.assets.url('vendor', 'uplot.js'),
      uplotStyle: this.assets.url('vendor', 'uplot.css'),
      reportStyle: this.assets.url('base', 'css/reports.css'),
    });
    await reply
      .code(status)
      .header('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(html);
  }
}

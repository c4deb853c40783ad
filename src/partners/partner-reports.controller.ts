import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationFailed } from '../common/domain-errors.js';
import { SITE_TABLES } from '../reports/report-csv.js';
import { reportRangeOf } from '../reports/report-range.js';
import { ReportsService } from '../reports/reports.service.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { ConsoleAccess } from './console-access.js';
import { PartnerConsole } from './partner-console.service.js';
import { PartnerPages } from './partner-pages.js';

/** The tables each site's report downloads as CSV, as the report API names them. */
const REPORT_TABLES = SITE_TABLES.map((id) => ({
  id,
  label: id === 'delay' ? 'delivery delay' : id,
}));

/**
 * Each site's totals over a range (the last seven days by default), for everyone in the
 * console and the one page analysts have: a partner's people see their partner's sites,
 * operators every partner's.
 */
@Controller('partner/reports')
export class PartnerReportsController {
  constructor(
    private readonly access: ConsoleAccess,
    private readonly console: PartnerConsole,
    private readonly pages: PartnerPages,
    private readonly reports: ReportsService,
    private readonly registry: SiteRegistry,
  ) {}

  @Get()
  async show(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query() query: Record<string, unknown>,
  ) {
    const signedIn = await this.access.reading(req, reply);
    if (!signedIn) return;
    const fields = {
      from: typeof query.from === 'string' ? query.from : '',
      to: typeof query.to === 'string' ? query.to : '',
    };
    let range;
    try {
      range = reportRangeOf(query);
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      const errors = Object.fromEntries(error.errors.map((e) => [e.field, e.message]));
      await this.pages.send(reply, req, 'reports', { fields, errors, sites: [] }, 400, signedIn);
      return;
    }
    const owned = await this.console.visibleSites(signedIn.person);
    const sites = await Promise.all(
      owned.map(async (s) => ({
        id: s.siteId,
        name: this.registry.get(s.siteId)?.name ?? s.siteId,
        partnerId: s.partnerId,
        totals: (await this.reports.siteReport(s.siteId, range)).totals,
      })),
    );
    await this.pages.send(
      reply,
      req,
      'reports',
      { fields, range, sites, reportTables: REPORT_TABLES },
      200,
      signedIn,
    );
  }
}

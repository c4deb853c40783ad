import {
  Controller,
  ForbiddenException,
  Get,
  Param,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../common/domain-errors.js';
import { reportRangeOf } from './report-range.js';
import { ReportReaderGuard } from './report-reader.guard.js';
import { ALL_SITES, sendReport } from './report-responses.js';
import { ReportsService } from './reports.service.js';
import { ADMIN_API, RoutePolicy } from '../http/edge/route-policy.js';

/** `<site>.json` or `<site>.csv`; `all` is every site side by side. */
export function reportFileOf(file: string): { siteId: string; format: 'json' | 'csv' } | null {
  const match = /^([a-z0-9-]{1,32})\.(json|csv)$/.exec(file);
  if (!match) return null;
  return { siteId: match[1] ?? '', format: match[2] === 'csv' ? 'csv' : 'json' };
}

/**
 * `GET /admin/api/reports/<site>.json|.csv?from=&to=` (and `&table=` for CSV): a site's report
 * for partners' systems, operators' scripts and the console's download links; `all.json|.csv`
 * is every site side by side, for operators only.
 */
@RoutePolicy({ ...ADMIN_API, apiKeyReads: true, consoleSessionReads: true })
@Controller('admin/api/reports')
@UseGuards(ReportReaderGuard)
export class ReportsApiController {
  constructor(private readonly reports: ReportsService) {}

  @Get(':file')
  async report(
    @Param('file') file: string,
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const wanted = reportFileOf(file);
    if (!wanted) throw new NotFoundError('page');
    const reader = request.reportReader;
    if (reader?.kind !== 'operator' && reader?.siteIds.includes(wanted.siteId) !== true) {
      throw new ForbiddenException('this reader reads the reports of its own sites only');
    }
    if (wanted.siteId !== ALL_SITES && !this.reports.siteIds().includes(wanted.siteId)) {
      throw new NotFoundError('page');
    }
    await sendReport(
      reply,
      this.reports,
      wanted.siteId,
      reportRangeOf(query),
      wanted.format,
      query.table,
    );
  }
}

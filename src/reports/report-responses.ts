import type { FastifyReply } from 'fastify';
import { ValidationFailed } from '../common/domain-errors.js';
import {
  OPERATOR_TABLES,
  type OperatorTable,
  operatorTable,
  SITE_TABLES,
  type SiteTable,
  siteTable,
  toCsv,
} from './report-csv.js';
import type { ReportRange } from './report-range.js';
import type { ReportsService } from './reports.service.js';

/** The name of the operators' report across sites in paths. */
export const ALL_SITES = 'all';

function tableOf<T extends string>(tables: readonly T[], given: unknown): T {
  const table = given === undefined || given === '' ? tables[0] : given;
  if (typeof table === 'string' && (tables as readonly string[]).includes(table)) return table as T;
  throw new ValidationFailed([{ field: 'table', message: `must be one of ${tables.join(', ')}` }]);
}

/**
 * Sends a report as JSON, or one of its tables as a CSV download (`table`, the first table by
 * default). `siteId` is a site or ALL_SITES; the caller has checked the reader may see it.
 */
export async function sendReport(
  reply: FastifyReply,
  reports: ReportsService,
  siteId: string,
  range: ReportRange,
  format: 'json' | 'csv',
  table?: unknown,
): Promise<void> {
  const all = siteId === ALL_SITES;
  // The table is checked before any query: bad input changes nothing and costs nothing.
  const siteTableName = !all && format === 'csv' ? tableOf<SiteTable>(SITE_TABLES, table) : null;
  const operatorTableName =
    all && format === 'csv' ? tableOf<OperatorTable>(OPERATOR_TABLES, table) : null;
  reply.header('Cache-Control', 'no-store');
  if (all) {
    const report = await reports.operatorReport(range);
    if (operatorTableName === null) {
      await reply.type('application/json; charset=utf-8').send(report);
      return;
    }
    await sendCsv(
      reply,
      `all-${operatorTableName}-${range.from}-${range.to}.csv`,
      toCsv(operatorTable(report.sites, report.peaks, operatorTableName)),
    );
    return;
  }
  const report = await reports.siteReport(siteId, range);
  if (siteTableName === null) {
    await reply.type('application/json; charset=utf-8').send(report);
    return;
  }
  await sendCsv(
    reply,
    `${siteId}-${siteTableName}-${range.from}-${range.to}.csv`,
    toCsv(siteTable(report, siteTableName)),
  );
}

async function sendCsv(reply: FastifyReply, filename: string, body: string): Promise<void> {
  await reply
    .type('text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${filename}"`)
    .send(body);
}

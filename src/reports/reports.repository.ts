import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../platform/database/database.service.js';
import type { TrafficRow } from './report-traffic.js';

/** One aggregate row as the reports read it. */
export interface AggregateRow {
  siteId: string;
  /** `YYYY-MM-DD` for a day, an ISO instant for an hour. */
  period: string;
  metric: string;
  dimension: string;
  dimensionValue: string;
  value: number;
}

const ROWS_PER_INSERT = 1000;

interface RawRow {
  site_id: string;
  period: string | Date;
  metric: string;
  dimension: string;
  dimension_value: string;
  value: string | number;
}

function rowOf(raw: RawRow): AggregateRow {
  return {
    siteId: raw.site_id,
    period: raw.period instanceof Date ? raw.period.toISOString() : String(raw.period),
    metric: raw.metric,
    dimension: raw.dimension,
    dimensionValue: raw.dimension_value,
    value: Number(raw.value),
  };
}

/**
 * The aggregate tables: page traffic added by the web processes, and the reads of the report
 * pages and API, which go to a replica (the primary when none answers) and touch aggregates
 * only, never a greeting row.
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Adds counted traffic to its hours: several processes add to the same rows. */
  async addTraffic(rows: TrafficRow[]): Promise<void> {
    // One transaction: a write that fails is retried whole, never counted in part twice.
    await this.db.writeTransaction(async (tx) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await tx.query(
          `INSERT INTO report_hourly (site_id, hour, metric, dimension, dimension_value, value)
           VALUES ? ON DUPLICATE KEY UPDATE value = value + VALUES(value)`,
          [rows.slice(i, i + ROWS_PER_INSERT)],
        );
      }
    });
  }

  /** Every daily row of the sites from `fromDay` to `toDay` (inclusive, `YYYY-MM-DD`). */
  async daily(siteIds: string[], fromDay: string, toDay: string): Promise<AggregateRow[]> {
    if (siteIds.length === 0) return [];
    const rows = await this.db.reader().query<RawRow[]>(
      `SELECT site_id, DATE_FORMAT(day, '%Y-%m-%d') AS period, metric, dimension, dimension_value, value
         FROM report_daily WHERE day BETWEEN ? AND ? AND site_id IN (?)`,
      [fromDay, toDay, siteIds],
    );
    return rows.map(rowOf);
  }

  /** Site-wide hourly rows of the given metrics (no card or occasion breakdown) in [from, to). */
  async hourly(
    siteIds: string[],
    from: Date,
    to: Date,
    metrics: string[],
  ): Promise<AggregateRow[]> {
    if (siteIds.length === 0) return [];
    const rows = await this.db.reader().query<RawRow[]>(
      `SELECT site_id, hour AS period, metric, dimension, dimension_value, value
         FROM report_hourly
        WHERE hour >= ? AND hour < ? AND site_id IN (?) AND metric IN (?) AND dimension = ''`,
      [from, to, siteIds, metrics],
    );
    return rows.map(rowOf);
  }
}

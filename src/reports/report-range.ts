import { z } from 'zod';
import { ValidationFailed } from '../common/domain-errors.js';

/** Longest range one report covers: a year and a day, so a leap year fits. */
const MAX_DAYS = 366;
const DEFAULT_DAYS = 7;
const DAY_MS = 86_400_000;

export interface ReportRange {
  /** First and last day, inclusive, `YYYY-MM-DD` in UTC. */
  from: string;
  to: string;
}

const day = z
  .string()
  // One message per field: text that is no date is not also "not in the calendar".
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date as YYYY-MM-DD', abort: true })
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && isoDay(Date.parse(`${d}T00:00:00Z`)) === d,
    'is not a date in the calendar',
  );

const rangeQuery = z.object({ from: day.optional(), to: day.optional() });

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The report's range from `?from=&to=`: the last seven days up to today by default. Bad dates,
 * a range that ends before it starts or one longer than a year are refused with field messages.
 */
export function reportRangeOf(query: Record<string, unknown>, now = new Date()): ReportRange {
  const parsed = rangeQuery.safeParse({
    from: typeof query.from === 'string' && query.from !== '' ? query.from : undefined,
    to: typeof query.to === 'string' && query.to !== '' ? query.to : undefined,
  });
  if (!parsed.success) {
    throw new ValidationFailed(
      parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    );
  }
  const to = parsed.data.to ?? isoDay(now.getTime());
  const from =
    parsed.data.from ?? isoDay(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * DAY_MS);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1) throw new ValidationFailed([{ field: 'to', message: 'must not be before from' }]);
  if (days > MAX_DAYS) {
    throw new ValidationFailed([
      { field: 'to', message: `a range covers at most ${MAX_DAYS} days` },
    ]);
  }
  return { from, to };
}

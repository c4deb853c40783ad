import { ValidationFailed } from '../common/domain-errors.js';
import { reportRangeOf } from './report-range.js';

const now = new Date('2026-12-06T03:00:00Z');

function refusal(query: Record<string, unknown>): { field: string; message: string }[] {
  try {
    reportRangeOf(query, now);
  } catch (error) {
    if (error instanceof ValidationFailed) return error.errors;
    throw error;
  }
  throw new Error('the range was accepted');
}

describe('a report range from ?from=&to=', () => {
  it('is the last seven UTC days up to today when nothing is given', () => {
    expect(reportRangeOf({}, now)).toEqual({ from: '2026-11-30', to: '2026-12-06' });
    expect(reportRangeOf({ from: '', to: '' }, now)).toEqual({
      from: '2026-11-30',
      to: '2026-12-06',
    });
  });

  it('takes the days given, or the seven days ending on `to`', () => {
    expect(reportRangeOf({ from: '2026-02-01', to: '2026-02-28' }, now)).toEqual({
      from: '2026-02-01',
      to: '2026-02-28',
    });
    expect(reportRangeOf({ to: '2026-03-02' }, now)).toEqual({
      from: '2026-02-24',
      to: '2026-03-02',
    });
    expect(reportRangeOf({ from: '2026-12-06', to: '2026-12-06' }, now)).toEqual({
      from: '2026-12-06',
      to: '2026-12-06',
    });
  });

  it('covers a leap year but nothing longer', () => {
    expect(reportRangeOf({ from: '2028-01-01', to: '2028-12-31' }, now).from).toBe('2028-01-01');
    expect(refusal({ from: '2027-01-01', to: '2028-01-02' })).toEqual([
      { field: 'to', message: 'a range covers at most 366 days' },
    ]);
  });

  it('refuses text, impossible dates and a range that ends before it starts, by field', () => {
    expect(refusal({ from: 'yesterday' })).toEqual([
      { field: 'from', message: 'must be a date as YYYY-MM-DD' },
    ]);
    expect(refusal({ to: '2026-02-30' })).toEqual([
      { field: 'to', message: 'is not a date in the calendar' },
    ]);
    expect(refusal({ from: '2026-12-02', to: '2026-12-01' })).toEqual([
      { field: 'to', message: 'must not be before from' },
    ]);
  });

  it('ignores values that are not text, as a repeated parameter would be', () => {
    expect(reportRangeOf({ from: ['2026-01-01', '2026-01-02'] }, now)).toEqual({
      from: '2026-11-30',
      to: '2026-12-06',
    });
  });
});

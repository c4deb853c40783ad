import {
  datedOccasionsFor,
  dayIn,
  dueOccurrence,
  easterSunday,
  localToday,
  occasionIn,
} from './reminder-dates.js';

describe('reminder dates', () => {
  it('finds the n-th and last weekdays of a month', () => {
    expect(occasionIn(2026, { month: 11, weekday: 4, nth: 4 })).toBe('2026-11-26');
    expect(occasionIn(2027, { month: 5, weekday: 0, nth: 2 })).toBe('2027-05-09');
    expect(occasionIn(2026, { month: 5, weekday: 1, nth: -1 })).toBe('2026-05-25');
  });

  it('keeps 29 February on the 28th in other years', () => {
    expect(dayIn(2027, 2, 29)).toBe('2027-02-28');
    expect(dayIn(2028, 2, 29)).toBe('2028-02-29');
  });

  it('is due N days before, across a year end, and catches up one missed day', () => {
    const birthday = (year: number) => dayIn(year, 1, 2);
    expect(dueOccurrence('2026-12-30', 3, birthday)).toBe('2027-01-02');
    expect(dueOccurrence('2026-12-31', 3, birthday)).toBe('2027-01-02');
    expect(dueOccurrence('2027-01-01', 3, birthday)).toBeNull();
    expect(dueOccurrence('2027-01-02', 0, birthday)).toBe('2027-01-02');
  });

  it("reads today in the member's zone, not UTC", () => {
    const now = new Date('2026-03-01T02:00:00Z');
    expect(localToday('UTC', now)).toBe('2026-03-01');
    expect(localToday('America/Los_Angeles', now)).toBe('2026-02-28');
    expect(localToday('Pacific/Auckland', now)).toBe('2026-03-01');
  });

  it('finds Easter Sunday, and Mothering Sunday three weeks before it', () => {
    // Published Easter dates, across the computus's harder cases (1981 and 2049 hit its
    // special rules; 2038 is as late as it falls in this century).
    const easters = {
      1981: '1981-04-19',
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2038: '2038-04-25',
      2049: '2049-04-18',
    };
    for (const [year, date] of Object.entries(easters))
      expect(easterSunday(Number(year))).toBe(date);
    expect(occasionIn(2026, { daysFromEaster: -21 })).toBe('2026-03-15');
    expect(occasionIn(2027, { daysFromEaster: -21 })).toBe('2027-03-07');
  });

  it("keeps each site's calendar by its locale's region", () => {
    const british = datedOccasionsFor('en-GB');
    expect(british['mothers-day']).toEqual({
      name: 'Mothering Sunday',
      rule: { daysFromEaster: -21 },
    });
    expect(british.thanksgiving).toBeUndefined();
    expect(datedOccasionsFor('en-IE')['mothers-day']?.name).toBe('Mothering Sunday');
    expect(datedOccasionsFor('en-US')['mothers-day']?.name).toBe("Mother's Day");
    expect(datedOccasionsFor('en')['thanksgiving']?.name).toBe('Thanksgiving');
    expect(datedOccasionsFor('not a locale')['mothers-day']?.name).toBe("Mother's Day");
  });
});

import { formatZonedTime } from './format-date.js';

describe('formatZonedTime', () => {
  const christmas = new Date('2026-12-25T09:00:00Z');

  it.each([
    ['en-GB', 'Europe/London', 'Fri, 25 Dec 2026, 09:00 (Europe/London, GMT)'],
    ['en-US', 'America/Chicago', 'Fri, Dec 25, 2026, 03:00 AM (America/Chicago, CST)'],
    ['en-GB', 'Asia/Kolkata', 'Fri, 25 Dec 2026, 14:30 (Asia/Kolkata, GMT+5:30)'],
  ])('writes a %s time in %s with the zone named', (locale, zone, expected) => {
    expect(formatZonedTime({ locale }, christmas, zone)).toBe(expected);
  });

  it('names the zone as it is on that day: summer time in July', () => {
    expect(
      formatZonedTime({ locale: 'en-GB' }, new Date('2026-07-01T07:15:00Z'), 'Europe/London'),
    ).toBe('Wed, 1 Jul 2026, 08:15 (Europe/London, BST)');
  });
});

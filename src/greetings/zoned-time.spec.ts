import { localToUtc, parseLocalDateTime, zoneOffsetMinutes } from './zoned-time.js';

const at = (value: string, zone: string): string => {
  const local = parseLocalDateTime(value);
  if (!local) throw new Error(`bad test input ${value}`);
  return localToUtc(local, zone).toISOString();
};

describe('zoned time', () => {
  it('converts winter and summer times with the right offset', () => {
    expect(at('2026-12-25T09:00', 'America/New_York')).toBe('2026-12-25T14:00:00.000Z');
    expect(at('2026-07-04T09:00', 'America/New_York')).toBe('2026-07-04T13:00:00.000Z');
    expect(at('2026-12-25T09:00', 'Europe/London')).toBe('2026-12-25T09:00:00.000Z');
    expect(at('2026-06-21T09:00', 'Europe/London')).toBe('2026-06-21T08:00:00.000Z');
    expect(at('2027-01-01T00:00', 'Asia/Kolkata')).toBe('2026-12-31T18:30:00.000Z');
    expect(at('2026-12-25T09:00', 'UTC')).toBe('2026-12-25T09:00:00.000Z');
  });

  it('moves a time inside the spring-forward gap forward by the gap', () => {
    // 2027-03-14 02:30 does not exist in New York; clocks jump from 02:00 to 03:00.
    expect(at('2027-03-14T02:30', 'America/New_York')).toBe('2027-03-14T07:30:00.000Z');
  });

  it('takes the first of the two times in the fall-back overlap', () => {
    // 2026-11-01 01:30 happens twice in New York: first in EDT (-4), then in EST (-5).
    expect(at('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
  });

  it('is exact on the days either side of a change', () => {
    expect(at('2027-03-13T09:00', 'America/New_York')).toBe('2027-03-13T14:00:00.000Z');
    expect(at('2027-03-15T09:00', 'America/New_York')).toBe('2027-03-15T13:00:00.000Z');
    expect(at('2027-03-28T09:00', 'Europe/London')).toBe('2027-03-28T08:00:00.000Z');
  });

  it('keeps seconds when a client gives them', () => {
    expect(at('2026-12-25T09:00:12', 'UTC')).toBe('2026-12-25T09:00:12.000Z');
    expect(at('2026-12-25T09:00:12.750', 'Europe/London')).toBe('2026-12-25T09:00:12.000Z');
  });

  it('reads zone offsets', () => {
    expect(zoneOffsetMinutes('America/New_York', new Date('2026-01-15T12:00:00Z'))).toBe(-300);
    expect(zoneOffsetMinutes('Australia/Sydney', new Date('2026-01-15T12:00:00Z'))).toBe(660);
  });

  it.each([
    '2026-02-30T09:00',
    '2026-13-01T09:00',
    '2026-12-25T24:00',
    '2026-12-25T09:00:60',
    '2026-12-25',
    'tomorrow',
  ])('refuses %s', (value) => {
    expect(parseLocalDateTime(value)).toBeNull();
  });
});

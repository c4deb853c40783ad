/**
 * Converting a wall-clock time in an IANA zone to a UTC instant, with the platform's Intl data
 * (no library): the zone's offset is read for a first guess and corrected once, which is exact
 * except in DST gaps and overlaps, handled as below.
 */
import { canonicalTimeZone } from '../common/time-zones.js';

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** Forms send minutes; an API client may be precise to the second. */
  second?: number;
}

/** By canonical zone name only (see canonicalTimeZone): a closed set. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const known = formatters.get(timeZone);
  if (known) return known;
  const canonical = canonicalTimeZone(timeZone);
  if (canonical === null) throw new RangeError(`unknown time zone: ${timeZone}`);
  let formatter = formatters.get(canonical);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: canonical,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(canonical, formatter);
  }
  return formatter;
}

/** Offset of the zone from UTC at the given instant, in minutes (New York in winter: -300). */
export function zoneOffsetMinutes(timeZone: string, instant: Date): number {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/**
 * The UTC instant at which clocks in `timeZone` show `local`. In a spring-forward gap (the time
 * never shows) it moves forward by the gap, so "02:30" on that night fires at 03:30; in a
 * fall-back overlap (the time shows twice) the first occurrence is used.
 */
export function localToUtc(local: LocalDateTime, timeZone: string): Date {
  const { year, month, day, hour, minute, second = 0 } = local;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const before = zoneOffsetMinutes(timeZone, new Date(wall - 36 * 3600 * 1000));
  const after = zoneOffsetMinutes(timeZone, new Date(wall + 36 * 3600 * 1000));
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset * 60000)
    .filter((t) => zoneOffsetMinutes(timeZone, new Date(t)) * 60000 === wall - t)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return new Date(first);
  // In a gap the wall time never shows: read it with the offset from before the jump, which
  // moves it forward by the gap's length, as calendars and Temporal's "compatible" mode do.
  return new Date(wall - before * 60000);
}

/** Parses "YYYY-MM-DDTHH:mm" or "YYYY-MM-DDTHH:mm:ss" (a fraction of a second is dropped). */
export function parseLocalDateTime(value: string): LocalDateTime | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((p) => Number(p ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return { year, month, day, hour, minute, second };
}

/**
 * When things fall: a contact's day every year, a dated occasion by its rule, and which of them
 * a reminder N days before is due for on a given local date. Dates are `YYYY-MM-DD` strings of
 * the member's own calendar: the scan asks "what is today where the member lives", never UTC.
 */

/** A date of the member's calendar, as `YYYY-MM-DD`. */
export type LocalDate = string;

/**
 * An occasion's yearly date: a fixed day, the n-th weekday of a month (n = -1: the last), or
 * some days from Western Easter Sunday (Mothering Sunday is three weeks before it).
 */
export type OccasionRule =
  | { month: number; day: number }
  | { month: number; weekday: number; nth: number }
  | { daysFromEaster: number };

type DatedOccasions = Readonly<Record<string, { name: string; rule: OccasionRule }>>;

/**
 * Occasions of the catalog that fall on a date, by slug, as the United States keeps them: a
 * site offers reminders for those of them it carries.
 */
export const DATED_OCCASIONS: DatedOccasions = {
  'new-year': { name: "New Year's Day", rule: { month: 1, day: 1 } },
  valentines: { name: "Valentine's Day", rule: { month: 2, day: 14 } },
  'mothers-day': { name: "Mother's Day", rule: { month: 5, weekday: 0, nth: 2 } },
  'fathers-day': { name: "Father's Day", rule: { month: 6, weekday: 0, nth: 3 } },
  halloween: { name: 'Halloween', rule: { month: 10, day: 31 } },
  thanksgiving: { name: 'Thanksgiving', rule: { month: 11, weekday: 4, nth: 4 } },
  christmas: { name: 'Christmas', rule: { month: 12, day: 25 } },
};

/**
 * Britain and Ireland keep Mothering Sunday, the fourth Sunday of Lent, and no Thanksgiving (a
 * British member is not reminded of the fourth Thursday of November).
 */
const BRITISH_ISLES: DatedOccasions = Object.fromEntries(
  Object.entries({
    ...DATED_OCCASIONS,
    'mothers-day': { name: 'Mothering Sunday', rule: { daysFromEaster: -21 } },
  }).filter(([slug]) => slug !== 'thanksgiving'),
);

const CALENDARS: Readonly<Record<string, DatedOccasions>> = {
  GB: BRITISH_ISLES,
  IE: BRITISH_ISLES,
};

/** The dated occasions of a site's calendar, by the region of its locale (`en-GB`: British). */
export function datedOccasionsFor(locale: string): DatedOccasions {
  let region: string | undefined;
  try {
    region = new Intl.Locale(locale).maximize().region;
  } catch {
    // A locale Intl cannot read has no region of its own: the default calendar.
  }
  return (region && CALENDARS[region]) || DATED_OCCASIONS;
}

/** Western Easter Sunday of a Gregorian year (the anonymous Gregorian computus). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayIn(year, month, day);
}

/** The longest "N days before" a reminder may ask. */
export const MAX_DAYS_BEFORE = 60;

function utc(date: LocalDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

function text(date: Date): LocalDate {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = utc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return text(d);
}

/** The day in `year`: 29 February is kept on the 28th in other years. */
export function dayIn(year: number, month: number, day: number): LocalDate {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return text(new Date(Date.UTC(year, month - 1, Math.min(day, last))));
}

export function occasionIn(year: number, rule: OccasionRule): LocalDate {
  if ('daysFromEaster' in rule) return addDays(easterSunday(year), rule.daysFromEaster);
  if ('day' in rule) return dayIn(year, rule.month, rule.day);
  if (rule.nth < 0) {
    const last = new Date(Date.UTC(year, rule.month, 0));
    last.setUTCDate(last.getUTCDate() - ((last.getUTCDay() - rule.weekday + 7) % 7));
    return text(last);
  }
  const first = new Date(Date.UTC(year, rule.month - 1, 1));
  const offset = (rule.weekday - first.getUTCDay() + 7) % 7;
  return text(new Date(Date.UTC(year, rule.month - 1, 1 + offset + (rule.nth - 1) * 7)));
}

/** Today's date in an IANA zone. */
export function localToday(timeZone: string, now = new Date()): LocalDate {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/**
 * The occurrence a reminder `daysBefore` is due for on `today`, or null. Due on the day itself,
 * and still the day after (a scan missed by an outage catches up); the claim of the occurrence
 * keeps it to one email.
 */
export function dueOccurrence(
  today: LocalDate,
  daysBefore: number,
  occurrenceIn: (year: number) => LocalDate,
): LocalDate | null {
  for (const remindOn of [today, addDays(today, -1)]) {
    const target = addDays(remindOn, daysBefore);
    const occurrence = occurrenceIn(Number(target.slice(0, 4)));
    if (occurrence === target && occurrence >= today) return occurrence;
  }
  return null;
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((utc(to).getTime() - utc(from).getTime()) / 86_400_000);
}
